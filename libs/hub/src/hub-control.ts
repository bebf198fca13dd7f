import { existsSync, readFileSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { hubConnection, readHubInfo, signupPolicy, type HubInfo, type SignupPolicy } from './hub-info';
import { caFingerprint } from './tls-certs';
import { HubAccounts, credsPath, hubLayout, type HubAccountName, type HubLayout } from './layout';
import { connectNatster, type NatsConnection } from '@natster/nats';
import { serviceApiName, runnableServices, supervisedServices, type SupervisedService } from './services';
import { SUPERVISOR_PID, pidFile } from './supervisor';

/** Whether a process exists (EPERM means it exists but is not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Guards against pid reuse (a stale pid file after a reboot): on Linux a
 * process counts as this hub's only if it was started for it — its
 * environment names the hub dir, or it is a foreground `hub up`.
 * Without /proc (macOS) the pid file is trusted.
 */
function belongsToHub(pid: number, layout: HubLayout): boolean {
  if (!existsSync('/proc/self/environ')) return true;
  try {
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    if (environ.includes(`NATSTER_HUB_DIR=${layout.dir}`)) return true;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.includes('hub') && cmdline.includes('--foreground');
  } catch {
    return false;
  }
}

/** A live process of this hub recorded in run/<name>.pid, or null. */
export async function hubProcess(layout: HubLayout, name: string): Promise<number | null> {
  const pid = await readPid(layout, name);
  return pid !== null && isAlive(pid) && belongsToHub(pid, layout) ? pid : null;
}

export async function readPid(layout: HubLayout, name: string): Promise<number | null> {
  const text = await readFile(pidFile(layout, name), 'utf8').catch(() => null);
  const pid = text === null ? NaN : Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** The pid of the running supervisor of this hub, or null. */
export function supervisorPid(layout: HubLayout): Promise<number | null> {
  return hubProcess(layout, SUPERVISOR_PID);
}

export interface ServiceHealth {
  name: string;
  account: HubAccountName;
  /** running: answers $SRV.PING (or, without a service API, has a live pid); down; missing: not built yet. */
  state: 'running' | 'down' | 'missing';
  version?: string;
}

/** Asks `$SRV.PING.<name>` in the service's account. */
async function pingService(nc: NatsConnection, name: string, timeoutMs: number): Promise<string | null> {
  try {
    const reply = await nc.request(`$SRV.PING.${name}`, new Uint8Array(), { timeout: timeoutMs });
    const body = JSON.parse(new TextDecoder().decode(reply.data)) as { version?: string };
    return body.version ?? '';
  } catch {
    return null;
  }
}

/** Health of every registered service, connecting as each one's account. */
export async function servicesHealth(layout: HubLayout, info: HubInfo, timeoutMs = 1000, services = supervisedServices): Promise<ServiceHealth[]> {
  const runnable = new Set(runnableServices(services));
  const connections = new Map<HubAccountName, Promise<NatsConnection | null>>();
  const connectAs = (account: HubAccountName) => {
    if (!connections.has(account)) {
      connections.set(account, connectNatster({ ...hubConnection(info), credsPath: credsPath(layout, account), name: 'natster-hub-status', failFast: true }).catch(() => null));
    }
    return connections.get(account)!;
  };
  try {
    return await Promise.all(
      services.map(async (service: SupervisedService): Promise<ServiceHealth> => {
        const base = { name: service.name, account: service.account };
        if (!runnable.has(service)) return { ...base, state: 'missing' };
        const apiName = serviceApiName(service);
        if (apiName === null) {
          return { ...base, state: (await hubProcess(layout, service.name)) !== null ? 'running' : 'down' };
        }
        const nc = await connectAs(service.account);
        const version = nc ? await pingService(nc, apiName, timeoutMs) : null;
        return version === null ? { ...base, state: 'down' } : { ...base, state: 'running', version };
      }),
    );
  } finally {
    for (const nc of connections.values()) void nc.then((c) => c?.close());
  }
}

/** Polls until every runnable service answers, or returns the ones that did not. */
export async function waitForServices(layout: HubLayout, info: HubInfo, timeoutMs = 30_000): Promise<ServiceHealth[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await servicesHealth(layout, info, 500);
    const down = health.filter((h) => h.state === 'down');
    if (down.length === 0 || Date.now() > deadline) return down;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface HubStatus {
  dir: string;
  running: boolean;
  supervisor_pid: number | null;
  url: string;
  monitoring_url: string;
  portal_url: string;
  server_version: string | null;
  accounts: { name: HubAccountName; key: string }[];
  services: ServiceHealth[];
  /** Who may sign up: `invite` (an invite from `natster hub invite`) or `open`. */
  signup: SignupPolicy;
  /** A public hub: what friends dial, the CA's pin (absent with the owner's certificate), and when the certificate expires. */
  tls?: { public_urls: string[]; ca_fingerprint?: string; not_after: string };
}

async function tlsStatus(tls: NonNullable<HubInfo['tls']>): Promise<NonNullable<HubStatus['tls']>> {
  return {
    public_urls: tls.public_urls,
    ...(tls.ca_file ? { ca_fingerprint: caFingerprint(await readFile(tls.ca_file, 'utf8')) } : {}),
    not_after: tls.not_after,
  };
}

export async function hubStatus(dir: string): Promise<HubStatus> {
  const layout = hubLayout(dir);
  const info = await readHubInfo(layout.info);
  if (!info) throw new Error(`no hub in ${dir}: run \`natster hub up\``);
  const monitoring = `http://127.0.0.1:${info.http_port}`;
  const varz = await fetch(`${monitoring}/varz`).then((r) => (r.ok ? (r.json() as Promise<{ version?: string }>) : null), () => null);
  const pid = await supervisorPid(layout);
  const accounts = Object.values(HubAccounts).map((name) => ({ name, key: info.accounts[name] }));
  const runnable = runnableServices();
  const services = varz
    ? await servicesHealth(layout, info)
    : supervisedServices.map((s): ServiceHealth => ({ name: s.name, account: s.account, state: runnable.includes(s) ? 'down' : 'missing' }));
  return {
    dir,
    running: varz !== null,
    supervisor_pid: pid,
    url: info.url,
    monitoring_url: monitoring,
    portal_url: info.portal_url,
    server_version: varz?.version ?? null,
    accounts,
    services,
    signup: signupPolicy(info),
    ...(info.tls ? { tls: await tlsStatus(info.tls) } : {}),
  };
}

export interface DownReport {
  /** Processes that were running and are now stopped, by name. */
  stopped: { name: string; pid: number }[];
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * Stops what `hub up` started: SIGTERM to the supervisor (which stops its
 * children), then anything a crashed supervisor left behind in run/.
 */
export async function hubDown(dir: string, timeoutMs = 20_000): Promise<DownReport> {
  const layout = hubLayout(dir);
  const names = (await readdir(layout.run).catch(() => [] as string[])).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4));
  const running: { name: string; pid: number }[] = [];
  for (const name of names) {
    const pid = await hubProcess(layout, name);
    if (pid !== null) running.push({ name, pid });
  }
  const supervisor = running.find((r) => r.name === SUPERVISOR_PID);
  if (supervisor) {
    process.kill(supervisor.pid, 'SIGTERM');
    if (!(await waitGone(supervisor.pid, timeoutMs))) process.kill(supervisor.pid, 'SIGKILL');
  }
  for (const leftover of running.filter((r) => r !== supervisor && isAlive(r.pid))) {
    process.kill(leftover.pid, 'SIGTERM');
    if (!(await waitGone(leftover.pid, 5000))) process.kill(leftover.pid, 'SIGKILL');
  }
  for (const name of names) await rm(pidFile(layout, name), { force: true });
  return { stopped: running };
}
