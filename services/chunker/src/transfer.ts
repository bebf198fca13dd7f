import type { TransferAck } from '@natster/protocol';

/** Everything fixed when a transfer starts. */
export interface TransferPlan {
  id: string;
  catalog: string;
  /** Downloading account, or null for the owner's own download. */
  downloader: string | null;
  /** Real path of the file, resolved by this chunker from its own copy of the catalog. */
  path: string;
  offset: number;
  length: number;
  chunkSize: number;
  total: number;
  salt: Uint8Array;
  /** Box key of the sender's single-use secret and the receiver's xkey (wiped when the transfer ends). */
  key: Uint8Array;
  mediaSubject: string;
  ackSubject: string;
}

interface SentChunk {
  /** Chunker-wide publish sequence: ordered delivery lets it tell lost from still travelling. */
  seq: number;
  at: number;
  /** In the resend queue or being sealed again: never queued twice. */
  queued: boolean;
}

export type AckOutcome = 'progress' | 'done' | 'cancelled' | 'invalid';

/** How long a silent receiver waits for probe `n` (0-based), counted from its last ack: after × (2^(n+1) − 1). */
export const probeDelay = (after: number, n: number): number => after * (2 ** (n + 1) - 1);

/**
 * Flow-control state of one transfer (no I/O): a credit window over the
 * receiver's consumed prefix, and selective retransmission. A chunk the
 * receiver reports missing is resent once something published after it has
 * arrived (NATS delivers one publisher's messages in order, so it was lost),
 * and only once per loss. While the receiver acks, anything unacknowledged
 * for `retransmitAfterMs` is resent too (that rescues a lost last chunk).
 * A receiver that stopped acking gets one probe chunk at exponentially
 * growing intervals, not its whole window again.
 */
export class Transfer {
  /** Receiver's consumed prefix: chunks [0, next) are done. */
  next = 0;
  /** Next never-sent chunk. */
  fresh = 0;
  /** The receiver granted credit (its first ack arrived): it is subscribed. */
  started = false;
  lastAckAt: number;
  /** Probes sent since the last ack. */
  probes = 0;
  private readonly sent = new Map<number, SentChunk>();
  private readonly resend: number[] = [];
  private receivedSeq = 0;

  constructor(
    readonly plan: TransferPlan,
    private readonly window: number,
    now: number,
  ) {
    this.lastAckAt = now;
  }

  /** Whose share of the chunker's budget this transfer uses ('' for the owner). */
  get account(): string {
    return this.plan.downloader ?? '';
  }

  /** Chunks sent or being sealed that the receiver has not consumed yet. */
  get outstanding(): number {
    return this.fresh - this.next;
  }

  onAck(ack: TransferAck, now: number): AckOutcome {
    if (ack.cancel) return 'cancelled';
    const { total } = this.plan;
    if (ack.next > total || ack.high > total || ack.high < ack.next) return 'invalid';
    this.lastAckAt = now;
    this.probes = 0;
    this.started = true;
    this.next = Math.max(this.next, ack.next);
    if (this.next >= total) return 'done';
    const last = this.sent.get(ack.last);
    if (last) this.receivedSeq = Math.max(this.receivedSeq, last.seq);
    const missing = new Set(ack.missing);
    for (const [index, chunk] of this.sent) {
      if (index < this.next || (index < ack.high && !missing.has(index))) this.sent.delete(index);
      else if (missing.has(index) && chunk.seq < this.receivedSeq) this.queueResend(index, chunk);
    }
    return 'progress';
  }

  /**
   * Queues what the clock says is overdue; returns how many chunks. A
   * receiver that acks within `after` gets every chunk unacknowledged for
   * `after` again; a silent one gets its oldest unacknowledged chunk as a
   * probe, at `probeDelay(after, n)` after its last ack.
   */
  resendStale(now: number, after: number): number {
    if (!this.started) return 0;
    if (now - this.lastAckAt > after) {
      if (now - this.lastAckAt < probeDelay(after, this.probes)) return 0;
      this.probes++;
      const oldest = this.oldestUnacked();
      if (!oldest) return 0;
      this.queueResend(oldest[0], oldest[1]);
      return 1;
    }
    let count = 0;
    for (const [index, chunk] of this.sent) {
      if (!chunk.queued && now - chunk.at > after) {
        this.queueResend(index, chunk);
        count++;
      }
    }
    return count;
  }

  /**
   * The next chunk to seal: a resend first, then a fresh chunk inside the
   * credit window (if the account's share of the budget allows one more).
   * Null when none.
   */
  take(freshAllowed: boolean): { index: number; resend: boolean } | null {
    if (!this.started) return null;
    while (this.resend.length > 0) {
      const index = this.resend.shift()!;
      if (index >= this.next && this.sent.get(index)?.queued) return { index, resend: true };
    }
    if (freshAllowed && this.fresh < this.plan.total && this.fresh < this.next + this.window) {
      return { index: this.fresh++, resend: false };
    }
    return null;
  }

  onPublished(index: number, seq: number, now: number): void {
    if (index < this.next) return;
    this.sent.set(index, { seq, at: now, queued: false });
  }

  /** Byte range of chunk `index` in the file. */
  rangeOf(index: number): { position: number; length: number } {
    const start = index * this.plan.chunkSize;
    return { position: this.plan.offset + start, length: Math.min(this.plan.chunkSize, this.plan.length - start) };
  }

  private oldestUnacked(): [number, SentChunk] | null {
    let oldest: [number, SentChunk] | null = null;
    for (const entry of this.sent) if (!entry[1].queued && (!oldest || entry[0] < oldest[0])) oldest = entry;
    return oldest;
  }

  private queueResend(index: number, chunk: SentChunk): void {
    if (chunk.queued) return;
    chunk.queued = true;
    this.resend.push(index);
  }
}
