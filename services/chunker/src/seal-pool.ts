import { Piscina } from 'piscina';
import { SEAL_OVERHEAD } from '@natster/crypto';

/** One chunk to read and seal, as sent to a worker (with the slot it seals into). */
export interface SealTask {
  path: string;
  /** File position of the chunk's first byte. */
  position: number;
  length: number;
  index: number;
  salt: Uint8Array;
  /** The transfer's box key (see boxKey in @natster/crypto). */
  key: Uint8Array;
}

/** A sealed chunk in a pooled slot; call `release` once the bytes were handed to the socket. */
export interface SealedChunk {
  bytes: Uint8Array;
  release(): void;
}

export interface SealPool {
  seal(task: SealTask): Promise<SealedChunk>;
  destroy(): Promise<void>;
}

/**
 * The piscina pool that reads and seals off the main thread. A few slot
 * buffers travel to a worker and back (transferred, never copied), so the
 * main thread allocates nothing per chunk: garbage collection of fresh
 * buffers was its largest cost. They are plain ArrayBuffers, not shared
 * ones, because V8 copies out of shared memory with a slow relaxed-atomic
 * memmove, and nats.js copies every payload once. Tasks wait for a free
 * slot, which also bounds the pool's queue.
 */
export function createSealPool(options: { threads: number; slotBytes: number }): SealPool {
  const slotCount = options.threads * 2;
  const pool = new Piscina<SealTask & { slot: ArrayBuffer }, ArrayBuffer>({
    filename: new URL('./seal-worker.mjs', import.meta.url).href,
    minThreads: options.threads,
    maxThreads: options.threads,
    maxQueue: slotCount,
    idleTimeout: 60_000,
    // The worker is plain JavaScript: do not start a TypeScript loader in every thread.
    // piscina first tries require(); Node 20's require(esm) can abort the whole
    // process on a failed assertion (seen in CI), so make it throw and let
    // piscina fall back to import().
    execArgv: ['--no-experimental-require-module'],
  });
  const free: ArrayBuffer[] = [];
  let created = 0;
  const waiting: ((slot: ArrayBuffer) => void)[] = [];

  const acquire = (): Promise<ArrayBuffer> => {
    const slot = free.pop() ?? (created < slotCount ? (created++, new ArrayBuffer(options.slotBytes)) : undefined);
    return slot ? Promise.resolve(slot) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (slot: ArrayBuffer): void => {
    const next = waiting.shift();
    if (next) next(slot);
    else free.push(slot);
  };

  return {
    async seal(task) {
      const sent = await acquire();
      let slot: ArrayBuffer;
      try {
        slot = await pool.run({ ...task, slot: sent }, { transferList: [sent] });
      } catch (error) {
        // The slot stayed with the failed task: a new one takes its place.
        release(new ArrayBuffer(options.slotBytes));
        throw error;
      }
      let released = false;
      return {
        bytes: new Uint8Array(slot, 0, SEAL_OVERHEAD + task.length),
        release: () => {
          if (!released) release(slot);
          released = true;
        },
      };
    },
    destroy: () => pool.destroy(),
  };
}
