import { Piscina } from 'piscina';

/** One chunk to read and seal, as sent to a worker (with the slot it seals into). */
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

/** A sealed chunk in a shared slot; call `release` once the bytes were handed to the socket. */
export interface SealedChunk {
  bytes: Uint8Array;
  release(): void;
}

export interface SealPool {
  seal(task: SealTask): Promise<SealedChunk>;
  destroy(): Promise<void>;
}

/**
 * The piscina pool that reads and seals off the main thread. Workers seal
 * into a few reusable SharedArrayBuffer slots instead of fresh buffers, so
 * the main thread allocates nothing per chunk (garbage collection was the
 * largest cost left on it). Tasks wait for a free slot, which also bounds
 * the pool's queue.
 */
export function createSealPool(options: { threads: number; slotBytes: number }): SealPool {
  const slotCount = options.threads * 2;
  const pool = new Piscina<SealTask & { slot: SharedArrayBuffer }, number>({
    filename: new URL('./seal-worker.mjs', import.meta.url).href,
    minThreads: options.threads,
    maxThreads: options.threads,
    maxQueue: slotCount,
    idleTimeout: 60_000,
    // The worker is plain JavaScript: do not start a TypeScript loader in every thread.
    execArgv: [],
  });
  const free: SharedArrayBuffer[] = [];
  let created = 0;
  const waiting: ((slot: SharedArrayBuffer) => void)[] = [];

  const acquire = (): Promise<SharedArrayBuffer> => {
    const slot = free.pop() ?? (created < slotCount ? (created++, new SharedArrayBuffer(options.slotBytes)) : undefined);
    return slot ? Promise.resolve(slot) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (slot: SharedArrayBuffer): void => {
    const next = waiting.shift();
    if (next) next(slot);
    else free.push(slot);
  };

  return {
    async seal(task) {
      const slot = await acquire();
      try {
        const length = await pool.run({ ...task, slot });
        let released = false;
        return {
          bytes: new Uint8Array(slot, 0, length),
          release: () => {
            if (!released) release(slot);
            released = true;
          },
        };
      } catch (error) {
        release(slot);
        throw error;
      }
    },
    destroy: () => pool.destroy(),
  };
}
