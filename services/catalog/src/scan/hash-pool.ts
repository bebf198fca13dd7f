import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { HashResult, HashTask } from './hash-worker';

/** Hashes files on worker threads; counts what it read so callers can prove what was (not) re-hashed. */
export interface Hasher {
  hash(path: string): Promise<HashResult>;
  /** Bytes hashed since the pool was made. */
  readonly hashedBytes: number;
  readonly hashedFiles: number;
  /** Tasks worth keeping in flight to keep every thread busy. */
  readonly concurrency: number;
  destroy(): Promise<void>;
}

/**
 * The worker is TypeScript, so it needs the tsx loader: under `node --import tsx`
 * workers inherit it through execArgv; elsewhere (vitest) we add it.
 */
function workerExecArgv(): string[] {
  const argv = process.execArgv;
  const hasTsx = argv.some((arg, i) => (arg === '--import' || arg === '--loader') && /(^|\/)tsx/.test(argv[i + 1] ?? '')) ||
    argv.some((arg) => /^--(import|loader)=.*tsx/.test(arg));
  return hasTsx ? [...argv] : [...argv, '--import', 'tsx'];
}

export function createHashPool(options: { threads?: number } = {}): Hasher {
  const threads = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  const pool = new Piscina<HashTask, HashResult>({
    filename: new URL('./hash-worker.ts', import.meta.url).href,
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 5_000,
    execArgv: workerExecArgv(),
  });
  let hashedBytes = 0;
  let hashedFiles = 0;
  return {
    async hash(path) {
      const result = await pool.run({ path });
      hashedBytes += result.bytes;
      hashedFiles += 1;
      return result;
    },
    get hashedBytes() {
      return hashedBytes;
    },
    get hashedFiles() {
      return hashedFiles;
    },
    concurrency: threads * 4,
    destroy: () => pool.destroy(),
  };
}
