import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { startPlatform, until, type Platform } from './platform';
import { CLI_BIN, REPO, json, runCli, type CliResult } from './run-cli';

/** An owner serving catalog `films` and a friend who imported it, on a real platform. */
export interface SharedCatalog {
  platform: Platform;
  /** A temp folder for outputs; removed by stop(). */
  tmp: string;
  owner: Record<string, string>;
  friend: Record<string, string>;
  /** The friend's account key (to unshare). */
  friendKey: string;
  /** The owner's `natster catalog serve films` (with its chunker) started by the setup. */
  serving: ChildProcess;
  /** Starts another one; resolves once it serves. */
  serve(): Promise<ChildProcess>;
  stop(): Promise<void>;
}

/** Sets up the share once per suite: `files` (path in the catalog → bytes) are what the owner shares. */
export async function startSharedCatalog(files: Record<string, Buffer>): Promise<SharedCatalog> {
  const platform = await startPlatform();
  const tmp = await mkdtemp(join(tmpdir(), 'natster-cli-shared-'));
  const owner = { NATSTER_HOME: join(tmp, 'owner'), NATSTER_HUB_DIR: platform.th.dir, NATSTER_LOG_LEVEL: 'warn' };
  const friend = { NATSTER_HOME: join(tmp, 'friend'), NATSTER_HUB_DIR: platform.th.dir };
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(tmp, 'media', path)), { recursive: true });
    await writeFile(join(tmp, 'media', path), bytes);
  }
  json(await runCli(['init', '--name', 'Owner', '--json'], owner));
  const friendKey = json<{ account: string }>(await runCli(['init', '--name', 'Friend', '--json'], friend)).account;
  json(await runCli(['catalog', 'new', 'films', 'Films', join(tmp, 'media'), '--json'], owner));
  expect((await runCli(['catalog', 'share', 'films', friendKey], owner)).code).toBe(0);
  const serve = () => platform.startCli(['catalog', 'serve', 'films', '--threads', '1'], owner, /serving films/);
  const serving = await serve();
  await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.stdout.includes('films'));
  expect((await runCli(['catalog', 'inbox', '--import', 'films'], friend)).code).toBe(0);
  await until(() => runCli(['catalog', 'contents', 'films', '--json'], friend), (r) => r.code === 0);
  return {
    platform,
    tmp,
    owner,
    friend,
    friendKey,
    serving,
    serve,
    async stop() {
      await platform.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** A `natster` command running in the background, its output readable while it runs. */
export interface BackgroundCli {
  child: ChildProcess;
  stderr(): string;
  /** Resolves when stderr matches; fails the test after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<CliResult>;
}

export function startBackgroundCli(args: string[], env: Record<string, string>): BackgroundCli {
  const child = spawn(CLI_BIN, args, { cwd: REPO, env: { ...process.env, NATSTER_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    stderr: () => stderr,
    waitFor: (pattern, timeoutMs) => expect.poll(() => pattern.test(stderr), { timeout: timeoutMs, interval: 100 }).toBe(true),
    exited,
  };
}
