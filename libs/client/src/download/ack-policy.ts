import { MAX_ACK_MISSING, REORDER_TOLERANCE } from '@natster/protocol';

/**
 * When the receiver acks and what its ack lists (libs/protocol
 * REORDER_TOLERANCE): chunks are sealed in parallel and may arrive a little
 * out of order, so a gap triggers an ack of its own only once it is clearly
 * a loss; periodic acks still list every gap, which is exact information
 * the sender filters by publish order.
 */

/** Chunks in [next, high) not received yet, at most MAX_ACK_MISSING. */
export function missingChunks(next: number, high: number, has: (index: number) => boolean): number[] {
  const missing: number[] = [];
  for (let i = next; i < high && missing.length < MAX_ACK_MISSING; i++) if (!has(i)) missing.push(i);
  return missing;
}

/**
 * True when raising `high` from `before` to `after` left a gap more than
 * REORDER_TOLERANCE chunks below the top: ack at once rather than at the
 * next periodic ack. A gap within the tolerance is usually a chunk that was
 * overtaken and arrives next.
 */
export function revealsLoss(next: number, before: number, after: number, has: (index: number) => boolean): boolean {
  for (let i = Math.max(next, before - REORDER_TOLERANCE); i < after - REORDER_TOLERANCE; i++) if (!has(i)) return true;
  return false;
}
