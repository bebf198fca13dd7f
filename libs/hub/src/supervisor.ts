import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger, type Logger } from '@natster/nats';
import { hubConnection, readHubInfo, type HubInfo } from './hub-info';
import { renewHubTls } from './hub-tls';
import { credsPath, hubLayout, type HubLayout } from './layout';
import { ensureNatsServer } from './nats-server';
import { REPO_ROOT, runnableServices, serviceMain, supervisedServices, type SupervisedService } from './services';

export const SUPERVISOR_PID = 'supervisor';
export const pidFile = (layout: HubLayout, name: string): string => join(layout.run, `${name}.pid`);
export const logFile = (layout: HubLayout, name: string): string => join(layout.logs, `${name}.log`);

interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether the child writes its own pid file (nats-server does). */
  ownPidFile?: boolean;
}

/** Restart back-off: 0.5 s doubling to 30 s; reset once a child stayed up for a minute. */
const backoff = (failures: number): number => Math.min(30_000, 500 * 2 ** failures);
const STABLE_MS = 60_000;

/** Runs one child, appending its output to its log, and restarts it with back-off when it dies. */
class SupervisedChild {
  private child: ChildProcess | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly spec: ChildSpec,
    private readonly layout: HubLayout,
    private readonly logger: Logger,
  ) {}

  start(): void {
    const out = openSync(logFile(this.layout, this.spec.name), 'a');
    const child = spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', out, out] });
    closeSync(out);
    this.child = child;
    const startedAt = Date.now();
    if (child.pid !== undefined && !this.spec.ownPidFile) void writeFile(pidFile(this.layout, this.spec.name), `${child.pid}\n`);
    this.logger.info('started', { child: this.spec.name, pid: child.pid });
    child.once('error', (err) => this.logger.error('could not start', { child: this.spec.name, error: err }));
    child.once('exit', (code, signal) => {
      this.child = null;
      if (this.stopping) return;
      if (Date.now() - startedAt > STABLE_MS) this.failures = 0;
      const delay = backoff(this.failures++);
      this.logger.warn('exited; restarting', { child: this.spec.name, code, signal, restart_ms: delay, log: logFile(this.layout, this.spec.name) });
      this.timer = setTimeout(() => this.start(), delay);
    });
  }

  /** SIGHUP: nats-server re-reads its configuration and certificate files without dropping clients. */
  reload(): void {
    this.child?.kill('SIGHUP');
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves when the child is gone. */
  async stop(graceMs = 8000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    }
    await rm(pidFile(this.layout, this.spec.name), { force: true });
  }
}

async function waitForServer(info: HubInfo, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${info.http_port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nats-server did not become healthy within ${timeoutMs} ms`);
}

function serviceChild(service: SupervisedService, layout: HubLayout, info: HubInfo): ChildSpec {
  const { servers, caFile } = hubConnection(info);
  return {
    name: service.name,
    command: process.execPath,
    args: [...(service.nodeFlags ?? []), '--import', 'tsx', serviceMain(service)],
    cwd: join(REPO_ROOT, service.packageDir),
    env: {
      ...process.env,
      NATSTER_HUB_DIR: layout.dir,
      NATS_URL: servers,
      NATSTER_CREDS: credsPath(layout, service.account),
      ...(caFile ? { NATSTER_CA_FILE: caFile } : {}),
      ...(service.env?.({ layout, info }) ?? {}),
    },
  };
}

/** A hub that stays up for months still renews its self-made certificate (30 days before expiry). */
const RENEWAL_CHECK_MS = 86_400_000;

async function renewCertificate(layout: HubLayout, server: SupervisedChild, logger: Logger): Promise<void> {
  try {
    const tls = await renewHubTls(layout);
    if (!tls) return;
    server.reload();
    logger.info('renewed the TLS certificate', { not_after: tls.not_after });
  } catch (error) {
    logger.error('could not renew the TLS certificate', { error });
  }
}

export interface SupervisorOptions {
  hubDir: string;
  logger?: Logger;
  services?: SupervisedService[];
}

export interface Supervisor {
  /** The services it started (registered and present). */
  started: SupervisedService[];
  /** Stops every service, then nats-server. */
  stop(): Promise<void>;
}

/**
 * Starts nats-server and every registered service as children, restarts
 * any that crash, and stops them all on stop(). `natster hub supervise`
 * runs this in a detached process; --foreground runs it in the terminal.
 */
export async function startSupervisor(options: SupervisorOptions): Promise<Supervisor> {
  const logger = options.logger ?? createLogger('supervisor');
  const layout = hubLayout(options.hubDir);
  const info = await readHubInfo(layout.info);
  if (!info) throw new Error(`no hub in ${options.hubDir}: run \`natster hub up\``);
  const all = options.services ?? supervisedServices;
  const started = runnableServices(all);
  for (const skipped of all.filter((s) => !started.includes(s))) logger.info('skipped: not built yet', { child: skipped.name, main: serviceMain(skipped) });

  await writeFile(pidFile(layout, SUPERVISOR_PID), `${process.pid}\n`);
  const server = new SupervisedChild(
    // NATSTER_HUB_DIR marks every child as this hub's (see belongsToHub)
    { name: 'nats-server', command: ensureNatsServer(), args: ['-c', layout.config], cwd: layout.dir, env: { ...process.env, NATSTER_HUB_DIR: layout.dir }, ownPidFile: true },
    layout,
    logger,
  );
  server.start();
  try {
    await waitForServer(info);
  } catch (err) {
    await server.stop();
    await rm(pidFile(layout, SUPERVISOR_PID), { force: true });
    throw new Error(`${(err as Error).message}; see ${logFile(layout, 'nats-server')}`, { cause: err });
  }
  const children = started.map((s) => new SupervisedChild(serviceChild(s, layout, info), layout, logger));
  for (const child of children) child.start();
  const renewal = info.tls?.ca_file ? setInterval(() => void renewCertificate(layout, server, logger), RENEWAL_CHECK_MS).unref() : undefined;

  return {
    started,
    async stop() {
      clearInterval(renewal);
      await Promise.all(children.map((c) => c.stop()));
      await server.stop();
      await rm(pidFile(layout, SUPERVISOR_PID), { force: true });
      logger.info('stopped');
    },
  };
}

/** Runs the supervisor until SIGTERM/SIGINT, then stops everything and exits. */
export async function runSupervisor(options: SupervisorOptions): Promise<void> {
  const logger = options.logger ?? createLogger('supervisor');
  const supervisor = await startSupervisor({ ...options, logger });
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => resolve());
  });
  await supervisor.stop();
}
