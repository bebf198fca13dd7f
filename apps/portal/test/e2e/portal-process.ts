import { spawn, type ChildProcess } from 'node:child_process';
import { PORTAL_DIR, REPO_ROOT } from '../../scripts/ensure-built';

export { PORTAL_DIR, REPO_ROOT };

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
