import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '@natster/testing';
import { firstFreePort, isPortFree } from '../src/ports';

describe('port choice on first hub up', () => {
  it('keeps a free preferred port and moves past a taken one', async () => {
    const port = await freePort();
    expect(await firstFreePort('127.0.0.1', port)).toBe(port);
    const taken = createServer().listen(port, '127.0.0.1');
    await once(taken, 'listening');
    try {
      expect(await isPortFree('127.0.0.1', port)).toBe(false);
      expect(await firstFreePort('127.0.0.1', port)).toBeGreaterThan(port);
    } finally {
      taken.close();
    }
  });
});
