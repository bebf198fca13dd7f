import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, openSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server', '/opt/homebrew/bin/nats-server'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nats-server binary: $NATS_SERVER_BIN, then PATH, then where OS packages put it. */
export function findNatsServer(): string | null {
  const fromEnv = process.env.NATS_SERVER_BIN;
  if (fromEnv) return executable(fromEnv) ? fromEnv : null;
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'nats-server'));
  return [...onPath, ...CANDIDATES].find(executable) ?? null;
}

export const INSTALL_HINT =
  'nats-server is not installed. On Debian/Ubuntu: `sudo apt-get install -y nats-server`; on macOS: `brew install nats-server`; or set NATS_SERVER_BIN to its path.';

/**
 * Finds nats-server, installing it with apt when we are root on
 * Debian/Ubuntu; otherwise fails with the exact command to run.
 */
export function ensureNatsServer(log: (line: string) => void = () => {}): string {
  const found = findNatsServer();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && executable('/usr/bin/apt-get')) {
    log('nats-server is missing; installing it with apt-get');
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', 'nats-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) : update;
    const after = findNatsServer();
    if (install.status === 0 && after) return after;
  }
  throw new Error(INSTALL_HINT);
}

export function natsServerVersion(bin: string): string {
  const out = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return (out.stdout || out.stderr).trim().replace(/^nats-server:\s*/, '');
}

export interface RunningServer {
  pid: number;
  child: ChildProcess;
  /** Sends SIGTERM (then SIGKILL after a grace period) and waits for exit. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  bin: string;
  config: string;
  /** Monitoring port; readiness is /healthz there. */
  httpPort: number;
  /** Server log file (appended). */
  logFile?: string;
  timeoutMs?: number;
}

async function waitHealthy(httpPort: number, child: ChildProcess, timeoutMs: number, logFile?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`nats-server exited with code ${child.exitCode} while starting${logFile ? `; see ${logFile}` : ''}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nats-server did not become healthy within ${timeoutMs} ms${logFile ? `; see ${logFile}` : ''}`);
}

export async function startNatsServer(options: StartServerOptions): Promise<RunningServer> {
  const out = options.logFile ? openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(options.bin, ['-c', options.config], { stdio: ['ignore', out, out] });
  if (child.pid === undefined) throw new Error(`could not start ${options.bin}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitHealthy(options.httpPort, child, options.timeoutMs ?? 15_000, options.logFile);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    pid: child.pid,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
