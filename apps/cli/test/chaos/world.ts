import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CatalogClient } from '@natster/client';
import { hubLayout, initHub, pidFile, servicesHealth, supervisedServices, type HubInfo, type HubLayout } from '@natster/hub';
import { connectNatster } from '@natster/nats';
import { freePort } from '@natster/testing';
import { CLI_BIN, REPO } from '../run-cli';
import { childrenOf } from '../processes';
import { finished, killAll, startGroup, type Started } from './process-group';

export const MiB = 1024 * 1024;
const SUPERVISE = fileURLToPath(new URL('./supervise.ts', import.meta.url));
/** The hub services the supervisor runs here (the portal and the demo catalog play no part). */
export const HUB_SERVICES = ['accounts', 'global'] as const;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
export const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/** Polls `ready` until it holds; throws `what` after `timeoutMs`. Every wait in the suite is bounded. */
export async function waitUntil(what: string, timeoutMs: number, ready: () => boolean | Promise<boolean>, intervalMs = 100): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ready()) return Date.now();
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}

export type CliRun = Awaited<ReturnType<typeof finished>>;

/** One owner sharing catalog `films` with one friend, on a hub run by the real supervisor. */
export interface ChaosWorld {
  tmp: string;
  layout: HubLayout;
  info: HubInfo;
  owner: Record<string, string>;
  friend: Record<string, string>;
  /** The shared file, downloaded while things break. */
  files: { 'film.bin': Buffer };
  /** Runs `natster ARGS…` to its end (killed after `timeoutMs`); `prefix` wraps it (e.g. prlimit). */
  cli(args: string[], env: Record<string, string>, options?: { timeoutMs?: number; prefix?: string[] }): Promise<CliRun>;
  /** Starts `natster ARGS…` in the background, in its own process group. */
  background(args: string[], env: Record<string, string>): Started;
  /** The friend's account key. */
  friendAccount: string;
  /** The owner's current `catalog serve films` (its chunker is its child). */
  serving: Started;
  /** Starts `catalog serve films` again, as a supervisor would after a crash; resolves once it serves. */
  restartServe(): Promise<Started>;
  /** Starts a standalone `natster chunker` for films; resolves once it is ready. */
  startChunker(): Promise<Started>;
  /** Pid of a supervised hub process (from its pid file), or of the serve's chunker. */
  pidOf(name: 'nats-server' | (typeof HUB_SERVICES)[number] | 'chunker'): Promise<number>;
  /** True once nats-server answers /healthz. */
  hubHealthy(): Promise<boolean>;
  /** True once every supervised service answers its `$SRV.PING`. */
  servicesUp(): Promise<boolean>;
  /** Asks the owner's catalog server for a listing as the friend, with a fresh connection. */
  friendLists(timeoutMs: number): Promise<boolean>;
  /** Whether `path` holds exactly the shared file `name`. */
  verifies(path: string, name: keyof ChaosWorld['files']): Promise<boolean>;
  stop(): Promise<void>;
}

/** Resolves once `started`'s stderr matches `ready`; rejects if it exits first or after `timeoutMs`. */
async function readyOrFail(started: Started, ready: RegExp, timeoutMs: number, what: string): Promise<Started> {
  let exited = false;
  void started.exited.then(() => (exited = true));
  await waitUntil(what, timeoutMs, () => {
    if (exited && !ready.test(started.stderr())) throw new Error(`${what} exited: ${started.stderr().slice(-500)}`);
    return ready.test(started.stderr());
  });
  return started;
}

export async function startWorld(): Promise<ChaosWorld> {
  const tmp = await mkdtemp(join(tmpdir(), 'natster-chaos-'));
  const spawnCli = (args: string[], env: Record<string, string>, prefix: string[] = []) => {
    const [command, ...rest] = [...prefix, CLI_BIN, ...args] as [string, ...string[]];
    return startGroup(command, rest, { cwd: REPO, env: { ...process.env, NATSTER_DEBUG: '', ...env } });
  };
  const cli = (args: string[], env: Record<string, string>, options: { timeoutMs?: number; prefix?: string[] } = {}) =>
    finished(spawnCli(args, env, options.prefix), options.timeoutMs ?? 60_000);
  const must = async (args: string[], env: Record<string, string>) => {
    const r = await cli(args, env);
    if (r.code !== 0) throw new Error(`natster ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };

  const hubDir = join(tmp, 'hub');
  const hub = await initHub(hubDir, { host: '127.0.0.1', port: await freePort(), httpPort: await freePort(), portalUrl: `http://127.0.0.1:${await freePort()}` });
  const layout = hubLayout(hubDir);
  const info = hub.info;
  startGroup(process.execPath, ['--import', 'tsx', SUPERVISE, hubDir, ...HUB_SERVICES], { cwd: REPO, env: { ...process.env, NATSTER_LOG_LEVEL: 'warn' } });
  const services = supervisedServices.filter((s) => (HUB_SERVICES as readonly string[]).includes(s.name));
  const hubHealthy = () => fetch(`http://127.0.0.1:${info.http_port}/healthz`).then((r) => r.ok, () => false);
  const servicesUp = async () => (await servicesHealth(layout, info, 500, services)).every((h) => h.state === 'running');

  try {
    await waitUntil('nats-server healthy', 30_000, hubHealthy);
    await waitUntil('authority and global service answering', 60_000, servicesUp, 250);

    const files = { 'film.bin': randomBytes(24 * MiB) };
    await mkdir(join(tmp, 'media'));
    await mkdir(join(tmp, 'downloads'));
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(tmp, 'media', name), bytes);
    const owner = { NATSTER_HOME: join(tmp, 'owner'), NATSTER_HUB_DIR: hubDir, NATSTER_LOG_LEVEL: 'warn' };
    const friend = { NATSTER_HOME: join(tmp, 'friend'), NATSTER_HUB_DIR: hubDir };
    await must(['init', '--name', 'Owner', '--json'], owner);
    const friendFacts = JSON.parse(await must(['init', '--name', 'Friend', '--json'], friend)) as { account: string; creds_path: string };
    await must(['catalog', 'new', 'films', 'Films', join(tmp, 'media'), '--json'], owner);
    await must(['catalog', 'share', 'films', friendFacts.account], owner);

    const restartServe = async () => readyOrFail(spawnCli(['catalog', 'serve', 'films', '--threads', '1'], owner), /serving films/, 60_000, 'catalog serve');
    const world: ChaosWorld = {
      tmp,
      layout,
      info,
      owner,
      friend,
      files,
      cli,
      background: (args, env) => spawnCli(args, env),
      friendAccount: friendFacts.account,
      serving: await restartServe(),
      async restartServe() {
        world.serving = await restartServe();
        return world.serving;
      },
      startChunker: () => readyOrFail(spawnCli(['chunker', '--catalog', 'films', '--threads', '1'], owner), /chunker ready/, 60_000, 'natster chunker'),
      async pidOf(name) {
        if (name === 'chunker') {
          const [pid] = childrenOf(world.serving.child.pid!);
          if (pid === undefined) throw new Error('the serve has no chunker child');
          return pid;
        }
        return Number((await readFile(pidFile(layout, name), 'utf8')).trim());
      },
      hubHealthy,
      servicesUp,
      async friendLists(timeoutMs) {
        const nc = await connectNatster({ servers: info.url, credsPath: friendFacts.creds_path, name: 'chaos-probe', failFast: true }).catch(() => null);
        if (!nc) return false;
        try {
          await new CatalogClient(nc, timeoutMs).page('films');
          return true;
        } catch {
          return false;
        } finally {
          await nc.close();
        }
      },
      async verifies(path, name) {
        return existsSync(path) && sha256(await readFile(path)) === sha256(files[name]);
      },
      async stop() {
        killAll();
        await rm(tmp, { recursive: true, force: true });
      },
    };
    await waitUntil('the share reaching the friend', 30_000, async () => (await cli(['catalog', 'inbox', '--json'], friend)).stdout.includes('films'), 250);
    await must(['catalog', 'inbox', '--import', 'films'], friend);
    await waitUntil('the friend listing films', 30_000, () => world.friendLists(2000), 250);
    return world;
  } catch (err) {
    killAll();
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
