import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The installed command itself: its shebang's node flags and its tsx registration are part of what runs. */
export const CLI_BIN = fileURLToPath(new URL('../bin/natster.js', import.meta.url));
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, as a user would. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000, cwd = REPO): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI_BIN, args, { cwd, env: { ...process.env, NATSTER_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export function json<T>(result: CliResult): T {
  if (result.code !== 0) throw new Error(`natster exited with ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
