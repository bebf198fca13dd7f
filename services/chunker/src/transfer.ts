import type { TransferAck } from '@natster/protocol';

/** Everything fixed when a transfer starts. */
export interface TransferPlan {
  id: string;
  catalog: string;
  /** Downloading account, or null for the owner's own download. */
  downloader: string | null;
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
  queued: boolean;
}

export type AckOutcome = 'progress' | 'done' | 'cancelled' | 'invalid';

/**
 * Flow-control state of one transfer (no I/O): a credit window over the
 * receiver's consumed prefix, and selective retransmission. A chunk the
 * receiver reports missing is resent once something published after it has
 * arrived (NATS delivers one publisher's messages in order, so it was lost);
 * anything unacknowledged for `retransmitAfterMs` is resent too, which is
 * what rescues a lost last chunk.
 */
export class Transfer {
  /** Receiver's consumed prefix: chunks [0, next) are done. */
  next = 0;
  /** Next never-sent chunk. */
  fresh = 0;
  /** The receiver granted credit (its first ack arrived): it is subscribed. */
  started = false;
  retransmits = 0;
  lastAckAt: number;
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

  /** Chunks sent or being sealed that the receiver has not consumed yet. */
  get outstanding(): number {
    return this.fresh - this.next;
  }

  onAck(ack: TransferAck, now: number): AckOutcome {
    if (ack.cancel) return 'cancelled';
    const { total } = this.plan;
    if (ack.next > total || ack.high > total || ack.high < ack.next) return 'invalid';
    this.lastAckAt = now;
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

  /** Queues every chunk unacknowledged for `after` ms; returns how many. */
  resendStale(now: number, after: number): number {
    let count = 0;
    if (!this.started) return count;
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
   * credit window (if the chunker's budget allows one more). Null when none.
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

  private queueResend(index: number, chunk: SentChunk): void {
    chunk.queued = true;
    this.resend.push(index);
  }
}
