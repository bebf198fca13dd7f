import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubAccounts, credsPath, hubLayout, initHub } from '@natster/hub';
import { readEnv } from '../src/env';

describe('the chunker started on its own (`turbo run dev --filter=@natster/chunker`)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-chunker-env-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('joins the hub in NATSTER_HUB_DIR as its HUB account when NATS_URL and NATSTER_CREDS are not set', async () => {
    const hub = await initHub(join(dir, 'hub'), { port: 14999 });
    const env = await readEnv({ NATSTER_HUB_DIR: hub.layout.dir, NATSTER_CHUNKER_THREADS: '3' });
    expect(env).toMatchObject({ natsUrl: hub.info.url, credsPath: credsPath(hubLayout(hub.layout.dir), HubAccounts.hub), threads: 3 });
    expect(hub.info.url).toMatch(/:14999$/);
  });

  it('uses NATS_URL and NATSTER_CREDS when set, and says what to do when there is neither a hub nor both', async () => {
    expect(await readEnv({ NATS_URL: 'nats://127.0.0.1:5222', NATSTER_CREDS: '/x/owner.creds', NATSTER_HUB_DIR: join(dir, 'none') })).toMatchObject({
      natsUrl: 'nats://127.0.0.1:5222',
      credsPath: '/x/owner.creds',
    });
    await expect(readEnv({ NATSTER_HUB_DIR: join(dir, 'none') })).rejects.toThrow(/no hub in .*natster hub up.*NATS_URL and NATSTER_CREDS/);
    await expect(readEnv({ NATS_URL: 'nats://127.0.0.1:5222', NATSTER_HUB_DIR: dir, NATSTER_CHUNK_SIZE: '0', NATSTER_CREDS: '/x' })).rejects.toThrow(/NATSTER_CHUNK_SIZE must be/);
    await expect(readEnv({ NATS_URL: 'nats://127.0.0.1:5222', NATSTER_CHUNK_SIZE: '1', NATSTER_CREDS: '/x' })).rejects.toThrow(/NATSTER_CHUNK_SIZE must be an integer between 4096 and 4194304, got "1"/);
  });
});
