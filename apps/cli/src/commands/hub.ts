import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import {
  REPO_ROOT,
  checkPortalUrl,
  ensureNatsServer,
  hubDown,
  hubLayout,
  hubStatus,
  initHub,
  isAlive,
  logFile,
  portalListenPort,
  readHubInfo,
  runSupervisor,
  startSupervisor,
  supervisorPid,
  waitForServices,
  type HubInfo,
  type HubLayout,
  type HubStatus,
} from '@natster/hub';
import { globalsOf } from '../globals';
import { hubDir } from '../hub-dir';
import { firstFreePort, isPortFree } from '../ports';
import { registerInvites, signupChoice, type SignupFlags } from './hub-invite';
import { printJson, printResult, renderTable, say } from '../output';

interface UpOptions extends SignupFlags {
  listen?: string;
  port?: number;
  httpPort?: number;
  portalPort?: number;
  portalUrl?: string;
  public?: string[];
  tlsCert?: string;
  tlsKey?: string;
  foreground?: boolean;
}

const hosts = (value: string): string[] => {
  const list = value.split(',').map((h) => h.trim());
  if (list.some((h) => h === '' || /[\s/]/.test(h))) throw new Error(`not a list of host names or IPs: ${value}`);
  return list;
};

/** `--public` (with `--tls-cert`/`--tls-key` both or neither) for initHub. */
function tlsChoice(options: UpOptions): { publicHosts?: string[]; ownCert?: { certFile: string; keyFile: string } } {
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) throw new Error('--tls-cert and --tls-key go together');
  if (options.tlsCert && !options.public) throw new Error('--tls-cert needs --public HOST (the names the certificate is for)');
  return {
    ...(options.public ? { publicHosts: options.public } : {}),
    ...(options.tlsCert && options.tlsKey ? { ownCert: { certFile: resolve(options.tlsCert), keyFile: resolve(options.tlsKey) } } : {}),
  };
}

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`not a port number: ${value}`);
  return n;
};

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** Starts `natster hub supervise` detached, its output in logs/supervisor.log. */
function spawnSupervisor(layout: HubLayout): number {
  const out = openSync(logFile(layout, 'supervisor'), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'hub', 'supervise'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NATSTER_HUB_DIR: layout.dir },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new Error('could not start the hub supervisor');
  return child.pid;
}

async function waitHealthy(info: HubInfo, pid: number, layout: HubLayout, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) throw new Error(`the hub did not start; see ${logFile(layout, 'supervisor')} and ${logFile(layout, 'nats-server')}`);
    if (await fetch(`http://127.0.0.1:${info.http_port}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nats-server did not become healthy within ${timeoutMs / 1000} s; see ${logFile(layout, 'nats-server')}`);
}

/** A public portal URL is served by the owner's proxy: say where it must forward to. */
function portalBehindProxy(info: HubInfo): string {
  const local = `http://127.0.0.1:${portalListenPort(info)}`;
  return new URL(info.portal_url).origin === local ? '' : ` (your reverse proxy forwards it to ${local}; see docs/reverse-proxy.md)`;
}

function nextSteps(info: HubInfo): string {
  return [
    `hub:    ${info.url}`,
    ...(info.tls ? [`public: ${info.tls.public_urls.join(', ')} (TLS only; \`natster hub status\` shows the CA pin friends check)`] : []),
    `portal: ${info.portal_url}${portalBehindProxy(info)}`,
    '',
    'Next:',
    '  natster init --name "Your Name"   create your account on this hub',
    '  natster whoami                    show it',
    '  natster hub invite                one line a friend pastes to join',
    '  natster hub status                see what runs',
    '(in this repository, run natster as `npx natster …`)',
  ].join('\n');
}

/**
 * First run only: the usual ports, or the next free ones when they are
 * taken (Debian's nats-server package starts a system server on 4222).
 */
async function defaultPorts(options: UpOptions, tell: (line: string) => void): Promise<{ port?: number; httpPort?: number }> {
  const chosen: { port?: number; httpPort?: number } = {};
  const host = options.public ? '0.0.0.0' : (options.listen ?? '127.0.0.1');
  for (const [key, preferred, what] of [['port', 4222, 'NATS'], ['httpPort', 8222, 'monitoring']] as const) {
    if (options[key]) continue;
    const free = await firstFreePort(key === 'port' ? host : '127.0.0.1', preferred);
    if (free !== null && free !== preferred) tell(`${what} port ${preferred} is in use; using ${free}`);
    if (free !== null) chosen[key] = free;
  }
  return chosen;
}

/** Fails before starting anything when another program holds the hub's ports. */
async function checkPortsFree(info: HubInfo): Promise<void> {
  for (const [host, p, flag] of [[info.host, info.port, '--port'], ['127.0.0.1', info.http_port, '--http-port']] as const) {
    if (!(await isPortFree(host, p))) {
      throw new Error(`port ${p} on ${host} is in use by another program (a system nats-server? \`sudo systemctl disable --now nats-server\`); or pick another with \`natster hub up ${flag} <n>\``);
    }
  }
}

async function up(options: UpOptions, json: boolean): Promise<void> {
  const dir = hubDir();
  const layout = hubLayout(dir);
  const running = await supervisorPid(layout);
  if (running !== null) {
    const info = (await readHubInfo(layout.info))!;
    const ignored = Object.keys(options).length > 0 ? '; options ignored: run `natster hub down` first to change them' : '';
    printResult(json, { already_up: true, supervisor_pid: running, url: info.url, portal_url: info.portal_url }, () => `the hub is already up (supervisor pid ${running})${ignored}\n${nextSteps(info)}`);
    return;
  }
  // a supervisor that died uncleanly may have left children holding the ports
  const leftovers = await hubDown(dir);
  for (const l of leftovers.stopped) say(json, `stopped a leftover ${l.name} (pid ${l.pid})`);
  const ports = (await readHubInfo(layout.info)) ? {} : await defaultPorts(options, (line) => say(json, line));
  const hub = await initHub(dir, {
    ...(options.listen ? { host: options.listen } : {}),
    ...ports,
    ...(options.port ? { port: options.port } : {}),
    ...(options.httpPort ? { httpPort: options.httpPort } : {}),
    ...(options.portalPort ? { portalPort: options.portalPort } : {}),
    ...(options.portalUrl ? { portalUrl: options.portalUrl } : {}),
    ...signupChoice(options),
    ...tlsChoice(options),
  });
  say(json, hub.created ? `created a new hub in ${dir}` : `using the hub in ${dir}`);
  await checkPortsFree(hub.info);
  ensureNatsServer((line) => say(json, line));

  if (options.foreground) {
    const supervisor = await startSupervisor({ hubDir: dir });
    const down = await waitForServices(layout, hub.info);
    for (const d of down) say(json, `warning: ${d.name} does not answer yet; see ${logFile(layout, d.name)}`);
    say(json, nextSteps(hub.info) + '\n\n(foreground: Ctrl-C stops the hub)');
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
    });
    await supervisor.stop();
    return;
  }

  const pid = spawnSupervisor(layout);
  await waitHealthy(hub.info, pid, layout);
  const down = await waitForServices(layout, hub.info);
  for (const d of down) say(json, `warning: ${d.name} does not answer; see ${logFile(layout, d.name)}`);
  printResult(json, { already_up: false, created: hub.created, supervisor_pid: pid, url: hub.info.url, portal_url: hub.info.portal_url, not_answering: down.map((d) => d.name) }, () => nextSteps(hub.info));
}

function renderStatus(s: HubStatus): string {
  const overview = renderTable({
    title: 'Natster Hub',
    rows: [
      ['State', s.running ? 'running' : 'stopped'],
      ['Server version', s.server_version ?? '-'],
      ['URL', s.url],
      ...(s.tls
        ? [
            ['Public URL', s.tls.public_urls.join(', ')],
            ['CA pin (SHA-256)', s.tls.ca_fingerprint ?? 'none: your own certificate (system roots)'],
            ['Certificate expires', s.tls.not_after],
          ]
        : []),
      ['Signup', s.signup === 'invite' ? 'by invite only (`natster hub invite`)' : 'open to anyone with the signup creds'],
      ['Monitoring', s.monitoring_url],
      ['Portal', s.portal_url],
      ['Data dir', s.dir],
      ['Supervisor pid', s.supervisor_pid ?? '-'],
    ],
  });
  const accounts = renderTable({ title: 'Accounts', head: ['Name', 'Key'], rows: s.accounts.map((a) => [a.name, a.key]) });
  const services = renderTable({
    title: 'Services',
    head: ['Name', 'Account', 'State', 'Version'],
    rows: s.services.map((v) => [v.name, v.account, v.state === 'missing' ? 'not built yet' : v.state, v.version ?? '-']),
  });
  return [overview, accounts, services].join('\n');
}

export function register(program: Command): void {
  const hub = program.command('hub').description('run the self-hosted hub: nats-server and the Natster services');

  hub
    .command('up')
    .description('create the hub on first run, then start and supervise nats-server and every service')
    .option('--listen <host>', 'address the NATS port listens on (default 127.0.0.1)')
    .option('--port <n>', 'NATS client port (default 4222)', port)
    .option('--http-port <n>', 'NATS monitoring port (default 8222)', port)
    .option('--portal-port <n>', 'portal HTTP port, on 127.0.0.1 (default 3000)', port)
    .option('--portal-url <url>', 'public URL of the portal, served by your TLS reverse proxy (docs/reverse-proxy.md), e.g. https://portal.example.com', checkPortalUrl)
    .option('--open-signup', 'anyone with the public signup creds may sign up, even on a public hub (kept by later runs)')
    .option('--invite-only', 'sign up only with an invite from `natster hub invite` (the default of a public hub; kept by later runs)')
    .option('--public <hosts>', 'names or IPs friends dial (comma-separated): listen on every interface, TLS only, with a CA the hub makes (kept by later runs)', hosts)
    .option('--tls-cert <file>', 'with --public: your own certificate (PEM) instead of the hub-made CA; clients then trust the system roots')
    .option('--tls-key <file>', "with --tls-cert: that certificate's private key (PEM)")
    .option('--foreground', 'run in this terminal instead of in the background')
    .action(async (options: UpOptions, cmd: Command) => up(options, globalsOf(cmd).json));

  hub
    .command('status')
    .description('server version, URL, accounts and whether each service answers')
    .action(async (_options: unknown, cmd: Command) => {
      const status = await hubStatus(hubDir());
      printResult(globalsOf(cmd).json, status, renderStatus);
    });

  hub
    .command('down')
    .description('stop what `natster hub up` started')
    .action(async (_options: unknown, cmd: Command) => {
      const { json } = globalsOf(cmd);
      const report = await hubDown(hubDir());
      if (json) printJson(report);
      else say(json, report.stopped.length === 0 ? 'the hub was not running' : `stopped ${report.stopped.map((s) => `${s.name} (pid ${s.pid})`).join(', ')}`);
    });

  registerInvites(hub);

  hub
    .command('supervise', { hidden: true })
    .description('run the supervisor (started by `hub up`)')
    .action(async () => runSupervisor({ hubDir: hubDir() }));
}
