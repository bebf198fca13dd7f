import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PORTAL_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const REPO_ROOT = join(PORTAL_DIR, '..', '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    newest = Math.max(newest, name.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Runs `next build` unless the production build is newer than every portal and lib source file. */
export function ensureBuilt(): void {
  const buildId = join(PORTAL_DIR, '.next', 'BUILD_ID');
  const sources = [join(PORTAL_DIR, 'src'), ...['protocol', 'client', 'crypto', 'nats', 'hub'].map((lib) => join(REPO_ROOT, 'libs', lib, 'src'))];
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...sources.map(newestMtime))) return;
  const build = spawnSync('npx', ['next', 'build'], { cwd: PORTAL_DIR, encoding: 'utf8', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
}

export interface PortalProcess {
  url: string;
  /** Everything the portal logged (JSON lines). */
  log(): string;
  stop(): Promise<void>;
}

/** Starts the portal the way the hub supervisor does: `src/main.ts`, loopback, port from the environment. */
export async function startPortal(hubDir: string, port: number, extraEnv: Record<string, string> = {}): Promise<PortalProcess> {
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PORTAL_DIR,
    env: { ...process.env, NATSTER_HUB_DIR: hubDir, NATSTER_PORTAL_PORT: String(port), NEXT_TELEMETRY_DISABLED: '1', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(child.pid, 'SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) process.kill(child.pid, 'SIGKILL');
  };
  const deadline = Date.now() + 60_000;
  while (!/portal ready at/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the portal did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, log: () => output, stop };
}
