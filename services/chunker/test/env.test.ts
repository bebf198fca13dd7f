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

  it('joins the hub in NATSTER_HUB_DIR as its HUB account, serving the demo catalog, when NATS_URL and NATSTER_CREDS are not set', async () => {
    const hub = await initHub(join(dir, 'hub'), { port: 14999 });
    const env = await readEnv({ NATSTER_HUB_DIR: hub.layout.dir, NATSTER_CHUNKER_THREADS: '3' });
    expect(env).toMatchObject({ natsUrl: hub.info.url, credsPath: credsPath(hubLayout(hub.layout.dir), HubAccounts.hub), threads: 3 });
    expect(env).toMatchObject({ catalogsDir: join(hub.layout.dir, 'catalogs'), catalogs: [hub.info.demo_catalog] });
    // as the supervisor runs it: URL and creds given, the demo catalog from the hub
    const supervised = await readEnv({ NATSTER_HUB_DIR: hub.layout.dir, NATS_URL: hub.info.url, NATSTER_CREDS: '/x/hub.creds' });
    expect(supervised).toMatchObject({ credsPath: '/x/hub.creds', catalogsDir: join(hub.layout.dir, 'catalogs'), catalogs: [hub.info.demo_catalog] });
    expect(hub.info.url).toMatch(/:14999$/);
  });

  it('uses NATS_URL, NATSTER_CREDS and NATSTER_CATALOGS_DIR when set, and says what to do when there is neither a hub nor all three', async () => {
    const owner = { NATS_URL: 'nats://127.0.0.1:5222', NATSTER_CREDS: '/x/owner.creds', NATSTER_HUB_DIR: join(dir, 'none') };
    expect(await readEnv({ ...owner, NATSTER_CATALOGS_DIR: '/x/catalogs', NATSTER_CATALOGS: 'films,music' })).toMatchObject({
      natsUrl: 'nats://127.0.0.1:5222',
      credsPath: '/x/owner.creds',
      catalogsDir: '/x/catalogs',
      catalogs: ['films', 'music'],
    });
    await expect(readEnv(owner)).rejects.toThrow(/no hub in .*NATSTER_CATALOGS_DIR/);
    await expect(readEnv({ NATSTER_HUB_DIR: join(dir, 'none') })).rejects.toThrow(/no hub in .*natster hub up.*NATS_URL, NATSTER_CREDS .* and NATSTER_CATALOGS_DIR/);
    await expect(readEnv({ NATS_URL: 'nats://127.0.0.1:5222', NATSTER_HUB_DIR: dir, NATSTER_CHUNK_SIZE: '0', NATSTER_CREDS: '/x', NATSTER_CATALOGS_DIR: '/x' })).rejects.toThrow(/NATSTER_CHUNK_SIZE must be/);
    await expect(readEnv({ NATS_URL: 'nats://127.0.0.1:5222', NATSTER_CHUNK_SIZE: '1', NATSTER_CREDS: '/x', NATSTER_CATALOGS_DIR: '/x' })).rejects.toThrow(/NATSTER_CHUNK_SIZE must be an integer between 4096 and 4194304, got "1"/);
  });
});
