import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Settings every role process gets as its single JSON argument. */
export interface RoleConfig {
  url: string;
  creds: string;
  /** `--tls`: the test hub's CA. */
  caFile?: string;
  /** The other side's account (the sender publishes to it). */
  peer?: string;
  file: string;
  out?: string;
  size: number;
  sha256: string;
  chunkSize: number;
  window: number;
  catalog: string;
  /** Natster receiver only: drop this fraction of chunks on arrival (`--loss`), picked by `seed`. */
  loss?: number;
  seed?: number;
}

/** What a measuring role prints as its last stdout line. */
export interface RoleResult {
  ms: number;
  bytes: number;
  /** Peak resident set size of the role's process, in bytes. */
  peakRss: number;
  /** CPU time (user + system, all threads) of the role's process, in seconds. */
  cpu: number;
  hashMatch?: boolean;
  lost?: number;
  note?: string;
  /** Natster receiver only: its download counters. */
  stats?: { chunks: number; duplicates: number; dropped: number; acks: number; resumes: number };
}

export interface RunningRole {
  pid: number;
  /** Resolves with the role's result line (or null for roles that print none), rejects if it fails. */
  done: Promise<RoleResult | null>;
  /** Resolves once the role printed `ready`; rejects if it exits first. */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/** Runs `roles/<name>.ts` (or a service's main.ts) as its own process with these node flags, so its memory is measured alone. */
export function startRole(script: string, nodeFlags: readonly string[], config: RoleConfig | null, env: Record<string, string> = {}): RunningRole {
  const path = script.endsWith('.ts') && script.includes('/') ? script : fileURLToPath(new URL(`./roles/${script}.ts`, import.meta.url));
  const child = spawn(process.execPath, [...nodeFlags, ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), '--import', 'tsx', path, ...(config ? [JSON.stringify(config)] : [])], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let markReady: () => void = () => undefined;
  let notReady: (error: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => ([markReady, notReady] = [resolve, reject]));
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    out += text;
    if (out.includes('ready\n')) markReady();
  });
  const done = new Promise<RoleResult | null>((resolve, reject) => {
    child.on('exit', (code, signal) => {
      notReady(new Error(`${script} exited before it was ready`));
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 && signal === null) reject(new Error(`${script} exited with ${code}`));
      else resolve(last.startsWith('{') ? (JSON.parse(last) as RoleResult) : null);
    });
  });
  // Whoever waits sees a failure; until then it must not crash the benchmark
  // before its `finally` stops nats-server.
  for (const promise of [ready, done]) promise.catch(() => undefined);
  return { pid: child.pid!, done, ready, kill: (signal = 'SIGTERM') => child.kill(signal) };
}

/** Peak RSS (VmHWM) of a running process, in bytes (Linux). */
export function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

/** CPU seconds (user + system, all threads) a running process used so far (Linux). */
export function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** For role processes: how to connect to the hub with their config. */
export const roleConnection = (config: RoleConfig) => ({ servers: config.url, credsPath: config.creds, ...(config.caFile ? { caFile: config.caFile } : {}) });

/** For role processes: their config and a way to report. */
export function roleConfig(): RoleConfig {
  return JSON.parse(process.argv[2] ?? '{}') as RoleConfig;
}

/** Starts counting this process's CPU time (all threads), leaving out its start-up. */
export function cpuMeter(): () => number {
  const start = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1e6;
  };
}

export function report(cpu: () => number, result: Omit<RoleResult, 'peakRss' | 'cpu'>): void {
  process.stdout.write(JSON.stringify({ ...result, peakRss: process.resourceUsage().maxRSS * 1024, cpu: cpu() }) + '\n');
}
