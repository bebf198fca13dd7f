import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
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
 * The worker is TypeScript, so it needs the tsx loader, named by its resolved
 * location so that it loads from any working directory. Nothing else from
 * process.execArgv: Node refuses V8 flags such as the heap sizes the CLI runs
 * with (MEDIA_NODE_FLAGS) in a worker's execArgv.
 */
const WORKER_EXEC_ARGV = ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];

export function createHashPool(options: { threads?: number } = {}): Hasher {
  const threads = Math.max(1, options.threads ?? Math.min(4, availableParallelism()));
  const pool = new Piscina<HashTask, HashResult>({
    filename: new URL('./hash-worker.ts', import.meta.url).href,
    minThreads: 1,
    maxThreads: threads,
    idleTimeout: 5_000,
    execArgv: WORKER_EXEC_ARGV,
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
