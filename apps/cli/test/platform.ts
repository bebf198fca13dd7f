import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startAuthority, type Authority } from '@natster/accounts';
import { startGlobal, type GlobalHandle } from '@natster/global';
import { HubAccounts, writeHubInfo, type HubInfo } from '@natster/hub';
import { createLogger } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import { CLI_BIN, REPO, type CliResult } from './run-cli';

/** A real hub for CLI tests: nats-server, the account authority and the global service, in-process. */
export interface Platform {
  th: TestHub;
  authority: Authority;
  global: GlobalHandle;
  /** Stops the long-running CLI processes, then the services and the hub. */
  stop(): Promise<void>;
  /** Starts `natster ARGS…` as a long-running process; resolves once its log says `ready`. */
  startCli(args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess>;
}

/**
 * `heartbeatPeriodMs`: the global service's, for tests that time presence; `signup`: hub.json's, before the
 * authority starts; `publicHosts`: a public hub (TLS with its own CA) that friends dial at these addresses.
 */
export async function startPlatform({
  signup,
  publicHosts,
  ...globalOptions
}: { heartbeatPeriodMs?: number; signup?: HubInfo['signup']; publicHosts?: string[] } = {}): Promise<Platform> {
  const quiet = { write: () => {} };
  const th = await startTestHub(publicHosts ? { publicHosts } : {});
  const info = th.hub.info;
  if (signup) await writeHubInfo(th.hub.layout.info, { ...info, signup });
  const authority = await startAuthority({ hubDir: th.dir, logger: createLogger('accounts', quiet), eventRetryDelaysMs: [200, 500, 1000] });
  const global = await startGlobal({
    nc: await th.connectAs(HubAccounts.global),
    portalUrl: info.portal_url,
    portalAccount: info.accounts.PORTAL,
    authorityAccount: info.accounts.AUTHORITY,
    dataKey: randomBytes(32),
    logger: createLogger('global', quiet),
    ...globalOptions,
  });
  const children: ChildProcess[] = [];
  return {
    th,
    authority,
    global,
    startCli(args, env, ready) {
      const child = spawn(CLI_BIN, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      children.push(child);
      return new Promise((resolve, reject) => {
        child.stderr?.on('data', (d: Buffer) => ready.test(d.toString()) && resolve(child));
        child.once('exit', (code) => reject(new Error(`natster ${args.join(' ')} exited with ${code}`)));
      });
    },
    async stop() {
      // wait for them while the hub is still up: a `catalog serve` told to stop as the hub vanishes lingered for minutes
      await Promise.all(children.map(stopChild));
      await global.stop();
      await authority.stop();
      await th.stop();
    },
  };
}

/** SIGTERM, then SIGKILL if it has not exited after 5 s. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Re-runs a CLI command, 250 ms apart, until `ok` accepts it (projections and imports settle asynchronously);
 * fails, showing the command's last output, when `ok` has not accepted it within `withinMs`.
 */
export async function until(run: () => Promise<CliResult>, ok: (r: CliResult) => boolean, withinMs = 30_000): Promise<CliResult> {
  const deadline = Date.now() + withinMs;
  let last = await run();
  while (!ok(last)) {
    if (Date.now() >= deadline) {
      throw new Error(`until: not accepted within ${withinMs / 1000} s: ${run.toString()}\nlast exit code: ${last.code}\nstdout: ${last.stdout}\nstderr: ${last.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 250));
    last = await run();
  }
  return last;
}
