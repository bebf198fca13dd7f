import { Piscina } from 'piscina';

/** One chunk to read and seal, as sent to a worker. */
export interface SealTask {
  path: string;
  /** File position of the chunk's first byte. */
  position: number;
  length: number;
  index: number;
  salt: Uint8Array;
  /** Receiver's raw public key. */
  peer: Uint8Array;
  /** Sender's raw secret key. */
  secret: Uint8Array;
}

export interface SealPool {
  seal(task: SealTask): Promise<Uint8Array>;
  readonly threads: number;
  destroy(): Promise<void>;
}

/**
 * The piscina pool that reads and seals off the main thread. The queue is
 * bounded by the caller's in-flight budget, so `maxQueue` only guards bugs.
 */
export function createSealPool(threads: number, maxQueue: number): SealPool {
  const pool = new Piscina<SealTask, Uint8Array>({
    filename: new URL('./seal-worker.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    maxQueue,
    idleTimeout: 60_000,
    // The worker is plain JavaScript: do not start a TypeScript loader in every thread.
    execArgv: [],
  });
  return {
    threads,
    seal: (task) => pool.run(task),
    destroy: () => pool.destroy(),
  };
}
