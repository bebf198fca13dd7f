import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlobalClient } from '@natster/client';
import { HubAccounts } from '@natster/hub';
import { startHubCatalog, type CatalogServer } from '../src';
import { eventually, quietLogger, startWorld, type Person, type World } from './world';

describe('the hub demo catalog', () => {
  let world: World;
  let hubDir: string;
  let server: CatalogServer;
  let newcomer: Person;

  beforeAll(async () => {
    world = await startWorld();
    hubDir = await mkdtemp(join(tmpdir(), 'natster-demo-'));
    const nc = await world.th.connectAs(HubAccounts.hub);
    server = await startHubCatalog({ nc, account: world.th.hub.info.accounts.HUB, hubDir, global: new GlobalClient(nc), logger: quietLogger(), rescanMs: 0 });
    newcomer = await world.signUp('newcomer');
  });

  afterAll(async () => {
    await server?.stop();
    await world?.stop();
    await rm(hubDir, { recursive: true, force: true });
  });

  it('is made on first start with playable media and listed to any new account without a share', async () => {
    const listing = await newcomer.catalogs.list('hub');
    expect(listing.entries.map((e) => [e.path, e.mime_type])).toEqual([
      ['README.txt', 'text/plain'],
      ['arpeggio.mp3', 'audio/mpeg'],
      ['test-pattern.mp4', 'video/mp4'],
    ]);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', join(hubDir, 'demo', 'test-pattern.mp4')], { encoding: 'utf8' }),
    ) as { streams: { codec_name: string }[]; format: { duration: string } };
    expect(probe.streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect(Number(probe.format.duration)).toBeCloseTo(10, 0);
  });

  it('shows a new file without a restart, with a higher revision', async () => {
    const before = (await newcomer.catalogs.page('hub')).revision;
    await writeFile(join(hubDir, 'demo', 'notes.md'), '# added while serving\n');
    const page = await eventually(async () => {
      const p = await newcomer.catalogs.page('hub');
      return p.entries.some((e) => e.path === 'notes.md') ? p : undefined;
    });
    expect(page.revision).toBe(before + 1);
    expect(page.total).toBe(4);
  });

  it('runs as the hub service from main.ts, as a second copy in the same queue group, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../src/main.ts', import.meta.url))], {
      env: { ...process.env, NATSTER_HUB_DIR: world.th.dir, NATSTER_LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    try {
      const hubNc = await world.th.connectAs(HubAccounts.hub);
      const copies = await eventually(async () => {
        const found = [];
        for await (const id of await hubNc.services.client().ping('natster-catalog')) found.push(id);
        return found.length === 2 ? found : undefined;
      }, 20_000, 200);
      expect(copies).toHaveLength(2);
      expect((await newcomer.catalogs.list('hub')).entries.length).toBeGreaterThanOrEqual(3);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
  });
});
