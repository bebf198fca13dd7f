import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/index';

const listenOn = (port: number, host: string) =>
  new Promise<() => Promise<void>>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, host, () => resolve(() => new Promise((done) => srv.close(() => done()))));
  });

describe('freePort', () => {
  it('gives a port a server can listen on at once on 127.0.0.1, never one in use', async () => {
    const first = await freePort();
    const closeFirst = await listenOn(first, '127.0.0.1');
    try {
      const second = await freePort();
      expect(second).not.toBe(first);
      const closeSecond = await listenOn(second, '127.0.0.1');
      await closeSecond();
    } finally {
      await closeFirst();
    }
  });
});
