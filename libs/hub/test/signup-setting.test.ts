import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initHub, readHubInfo } from '../src/index';

describe('hub.json signup', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-hub-signup-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is absent until chosen, then kept by every later run until changed', async () => {
    await initHub(dir, { port: 4222, httpPort: 8222 });
    expect((await readHubInfo(join(dir, 'hub.json')))?.signup).toBeUndefined();
    await initHub(dir, { signup: 'invite' });
    await initHub(dir);
    expect((await readHubInfo(join(dir, 'hub.json')))?.signup).toBe('invite');
    await initHub(dir, { signup: 'open' });
    expect((await readHubInfo(join(dir, 'hub.json')))?.signup).toBe('open');
  });
});
