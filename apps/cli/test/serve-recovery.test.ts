import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogClient, GlobalClient } from '@natster/client';
import { ensureNatsServer, startNatsServer, type RunningServer } from '@natster/hub';
import { connectNatster, type NatsConnection } from '@natster/nats';
import type { NatsterEvent } from '@natster/protocol';
import { startPlatform, until, type Platform } from './platform';
import { json, runCli } from './run-cli';

/** The global service's heartbeat period here: short, so a crash is noticed in seconds. */
const PERIOD_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Facts { account: string; creds_path: string }

describe('a long-running `catalog serve` recovers by itself and its presence is accurate', () => {
  let platform: Platform;
  let tmp: string;
  let owner: Record<string, string>;
  let friend: Record<string, string>;
  let ownerNc: NatsConnection;
  let friendNc: NatsConnection;
  let restarted: RunningServer | null = null;
  const feed: NatsterEvent[] = [];
  const file = randomBytes(1024 * 1024 + 5);

  /** `catalog serve films`; without its chunker child where no download is made (a faster start). */
  const serve = async (chunker = false): Promise<{ child: ChildProcess; stderr: () => string }> => {
    const child = await platform.startCli(['catalog', 'serve', 'films', ...(chunker ? ['--threads', '1'] : ['--no-chunker'])], owner, /serving films/);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    return { child, stderr: () => stderr };
  };
  const presence = async (type: 'catalog_online' | 'catalog_offline', since: number) => {
    const seen = () => feed.find((e) => e.type === type && e.data.catalog === 'films' && Date.parse(e.time) >= since);
    while (!seen()) await sleep(20);
    return Date.parse(seen()!.time);
  };
  const exited = (child: ChildProcess) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));

  beforeAll(async () => {
    platform = await startPlatform({ heartbeatPeriodMs: PERIOD_MS });
    tmp = await mkdtemp(join(tmpdir(), 'natster-cli-recovery-'));
    owner = { NATSTER_HOME: join(tmp, 'owner'), NATSTER_HUB_DIR: platform.th.dir, NATSTER_LOG_LEVEL: 'warn' };
    friend = { NATSTER_HOME: join(tmp, 'friend'), NATSTER_HUB_DIR: platform.th.dir };
    await mkdir(join(tmp, 'media'), { recursive: true });
    await writeFile(join(tmp, 'media', 'clip.bin'), file);
    const ownerFacts = json<Facts>(await runCli(['init', '--name', 'Owner', '--json'], owner));
    const friendFacts = json<Facts>(await runCli(['init', '--name', 'Friend', '--json'], friend));
    json(await runCli(['catalog', 'new', 'films', 'Films', join(tmp, 'media'), '--json'], owner));
    const shared = await runCli(["catalog", "share", "films", friendFacts.account], owner);
    expect(shared.code, shared.stderr).toBe(0);
    await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.stdout.includes('films'));
    expect((await runCli(['catalog', 'inbox', '--import', 'films'], friend)).code).toBe(0);
    // The test's own views: the owner's event feed, and the friend listing in-process (no CLI start-up in the timings).
    ownerNc = await connectNatster({ servers: platform.th.url, credsPath: ownerFacts.creds_path, name: 'test-owner' });
    friendNc = await connectNatster({ servers: platform.th.url, credsPath: friendFacts.creds_path, name: 'test-friend' });
    const watch = new GlobalClient(ownerNc).watchEvents(['catalog_online', 'catalog_offline']);
    void (async () => {
      for await (const e of watch) feed.push(e);
    })();
    await ownerNc.flush();
  }, 120_000);

  afterAll(async () => {
    await ownerNc?.close();
    await friendNc?.close();
    await platform?.stop();
    await restarted?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('a clean stop is offline at once; a crash within three heartbeat periods', async () => {
    const first = await serve();
    await presence('catalog_online', Date.now() - 60_000);

    const stoppedAt = Date.now();
    first.child.kill('SIGTERM');
    const cleanDelay = (await presence('catalog_offline', stoppedAt - 1000)) - stoppedAt;
    await exited(first.child);

    const second = await serve();
    await presence('catalog_online', stoppedAt);
    await sleep(PERIOD_MS / 2);
    const killedAt = Date.now();
    second.child.kill('SIGKILL');
    const crashDelay = (await presence('catalog_offline', killedAt)) - killedAt;

    process.stdout.write(`offline after a clean stop: ${cleanDelay} ms; after kill -9: ${crashDelay} ms (heartbeat period ${PERIOD_MS} ms)\n`);
    expect(cleanDelay).toBeLessThanOrEqual(2000);
    expect(crashDelay).toBeLessThanOrEqual(3 * PERIOD_MS + 5000);
  }, 120_000);

  it('survives kill -9 of nats-server and its restart: lists within 5 s, still downloads, and says so', async () => {
    const running = await serve(true);
    const catalogs = new CatalogClient(friendNc, 1000);
    await catalogs.page('films');

    const server = platform.th.server.child;
    server.kill('SIGKILL');
    await exited(server);
    await sleep(500); // the supervisor restarts it within a second
    restarted = await startNatsServer({ bin: ensureNatsServer(), config: platform.th.hub.layout.config, httpPort: platform.th.hub.info.http_port });
    const backAt = Date.now();
    for (;;) {
      try {
        await catalogs.page('films');
        break;
      } catch {
        expect(Date.now() - backAt, 'serve did not answer a listing within 5 s of the server being back').toBeLessThan(5000);
        await sleep(100);
      }
    }
    process.stdout.write(`serve answered a listing ${Date.now() - backAt} ms after nats-server was back\n`);
    expect(running.stderr()).toMatch(/lost the hub at .*, reconnecting/);
    expect(running.stderr()).toMatch(/reconnected after \d+\.\d s/);

    // the chunker child reconnected too: a download goes through
    const out = join(tmp, 'clip.bin');
    const download = await runCli(['catalog', 'download', 'films', 'clip.bin', out, '--json'], friend);
    expect(download.code, download.stderr).toBe(0);
    expect(Buffer.compare(await readFile(out), file)).toBe(0);
    expect(running.child.exitCode).toBeNull();
    running.child.kill('SIGTERM');
    await exited(running.child);
  }, 120_000);

  it("with the global service down, a friend's listing blames the global service, not the owner's server", async () => {
    await platform.global.stop();
    // a fresh server has no shares snapshot to fall back on, so it must ask the global service
    await serve();
    const listing = await new CatalogClient(friendNc).page('films').then(() => null, (err: Error) => err.message);
    expect(listing).toMatch(/global service is not answering, so catalog servers cannot check who may use them/);
    expect(listing).not.toMatch(/catalog server is not running/);
  }, 120_000);
});
