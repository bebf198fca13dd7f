import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Every process the chaos suite starts leads its own process group, so one
 * signal to the group reaches whatever it started in turn (the supervisor's
 * nats-server and services, a serve's chunker). killAll() runs on any exit
 * of the suite, even a failed assertion or Ctrl-C: nothing outlives it.
 */
const groups = new Set<number>();

/** Whether any process is still in group `pgid` (Linux /proc; field 5 of stat is the group). */
function groupAlive(pgid: number): boolean {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .some((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid;
      } catch {
        return false;
      }
    });
}

export interface Started {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

export function startGroup(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Started {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pgid = child.pid;
  groups.add(pgid);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      // an empty group is forgotten, so its number (free for reuse) is never signalled;
      // one whose members live on (a chunker whose serve died) stays until killAll
      if (!groupAlive(pgid)) groups.delete(pgid);
      resolve(code);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** SIGKILL to one whole group this module started (stopped members are woken so they die at once). */
export function killGroup(pgid: number): void {
  if (!groups.has(pgid)) return;
  for (const signal of ['SIGCONT', 'SIGKILL'] as const) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // already gone
    }
  }
}

export function killAll(): void {
  for (const pgid of groups) killGroup(pgid);
  groups.clear();
}

process.once('exit', killAll);

/** Waits for `started` to end, killing its group after `timeoutMs`. */
export function finished(started: Started, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const timer = setTimeout(() => killGroup(started.child.pid!), timeoutMs);
  return started.exited.then((code) => {
    clearTimeout(timer);
    return { code, stdout: started.stdout(), stderr: started.stderr() };
  });
}
