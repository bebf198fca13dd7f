import { availableParallelism } from 'node:os';

/**
 * Defaults measured with `npm run bench` (docs/benchmarks.md): 512 KiB chunks
 * with 32 in flight per transfer were the fastest and leanest of the sizes
 * tried, and 16 MiB in flight is far below the hub's per-client max_pending
 * (128 MB) and a chunk far below max_payload (8 MiB).
 */
export const chunkerDefaults = {
  chunkSize: 512 * 1024,
  window: 32,
  /** All transfers of one chunker together keep at most this many bytes unconsumed. */
  maxInflightBytes: 64 * 1024 * 1024,
  /** A transfer whose receiver sent no ack for this long is abandoned and freed. */
  idleTimeoutMs: 30_000,
  /** A published chunk not acknowledged for this long is sent again (to a silent receiver: one probe, then at 3×, 7×, 15× this). */
  retransmitAfterMs: 2_000,
  /** A cleanly stopped chunker lets in-flight transfers finish for this long (a 1 GiB download takes ~5 s here). */
  drainMs: 10_000,
  threads: (): number => availableParallelism(),
} as const;
