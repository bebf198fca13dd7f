import { decodeXKey, openChunkInPlace, transferKeys, transferSalt, type TransferKeys } from '@natster/crypto';
import { Codes, NatsterError, TransferAck, TransferEnd, TransferHeaders, subjects, type DownloadReply } from '@natster/protocol';
import { encodeJson, type Msg, type NatsConnection, type Subscription } from '@natster/nats';
import { missingChunks, revealsLoss } from './ack-policy';
import { faultInjector, type Fault } from './faults';
import { confirmCompletion } from './final-ack';

/** Counters a download reports (summed over its transfers). */
export interface ReceiverStats {
  chunks: number;
  duplicates: number;
  /** Chunks that failed to open (tampered, misplaced) and were asked for again. */
  rejected: number;
  /** Test-only: chunks dropped by the fault switch. */
  dropped: number;
  acks: number;
}

export function emptyStats(): ReceiverStats {
  return { chunks: 0, duplicates: 0, rejected: 0, dropped: 0, acks: 0 };
}

/** A transfer stopped in a way another transfer can continue (chunker gone, sender silent). */
export class ResumableError extends NatsterError {
  override name = 'ResumableError';
}

export interface ReceiverTiming {
  /** Re-ack this often while no chunk arrives (covers lost acks and a lost last chunk). */
  reackMs: number;
  /** No chunk for this long while waiting for one: the sender is gone. */
  stallMs: number;
  /** Ack after this many chunks consumed. */
  ackEvery: number;
}

/**
 * Receives one transfer: opens every chunk at its own index, reorders, and
 * yields chunks in order. Its acks carry the consumed prefix (the sender's
 * credit) and the missing list (what to resend), so memory stays bounded by
 * the sender's window even when the consumer is slow.
 */
export class TransferReceiver {
  private readonly keys: TransferKeys;
  private readonly salt: Uint8Array;
  private readonly buffered = new Map<number, Uint8Array>();
  private readonly fault: (index: number) => Fault;
  private readonly sub: Subscription;
  private readonly timer: NodeJS.Timeout;
  private next = 0;
  private high = 0;
  private last = -1;
  private ackedNext = -1;
  private lastArrival = Date.now();
  private failure: Error | null = null;
  private wake: (() => void) | null = null;
  private closed = false;
  private finalAckSent = false;
  private readonly dropFinalAck: boolean;

  constructor(
    private readonly nc: NatsConnection,
    private readonly catalog: string,
    readonly reply: DownloadReply,
    secret: Uint8Array,
    private readonly stats: ReceiverStats,
    private readonly timing: ReceiverTiming,
    faults: Parameters<typeof faultInjector>[0],
  ) {
    this.keys = transferKeys(reply.transfer_id, decodeXKey(reply.sender_xkey), secret);
    secret.fill(0);
    this.salt = transferSalt(reply.transfer_id);
    this.fault = faultInjector(faults);
    this.dropFinalAck = faults?.dropFinalAck ?? false;
    this.sub = nc.subscribe(subjects.media(catalog, reply.transfer_id), { callback: (_err, msg) => this.onMessage(msg) });
    this.timer = setInterval(() => this.onTick(), timing.reackMs);
    this.timer.unref();
    // The first ack grants credit: the sender waits for it, so no chunk races the subscription.
    this.ack();
  }

  /** Yields the transfer's chunks in order; leaving early cancels the transfer. */
  async *chunks(signal?: AbortSignal): AsyncGenerator<Uint8Array> {
    const onAbort = () => this.fail(signal?.reason instanceof Error ? signal.reason : new Error('download cancelled'));
    signal?.addEventListener('abort', onAbort);
    try {
      while (this.next < this.reply.total_chunks) {
        const chunk = this.buffered.get(this.next);
        if (chunk) {
          this.buffered.delete(this.next++);
          if (this.next - this.ackedNext >= this.timing.ackEvery || this.next === this.reply.total_chunks) this.ack();
          yield chunk;
          continue;
        }
        if (this.failure) throw this.failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.close(this.next < this.reply.total_chunks);
    }
  }

  /** Gives up on the transfer (the sender frees it at once). */
  cancel(): void {
    this.close(this.next < this.reply.total_chunks);
  }

  private onMessage(msg: Msg): void {
    if (this.closed) return;
    const h = msg.headers;
    if (h?.has(TransferHeaders.end)) {
      let end;
      try {
        end = TransferEnd.decode(msg.data);
      } catch {
        end = { code: Codes.internal, reason: 'the sender ended the transfer' };
      }
      const Kind = end.code === Codes.unavailable || end.code === Codes.timeout ? ResumableError : NatsterError;
      this.fail(new Kind(end.code, end.reason));
      return;
    }
    const index = Number(h?.get(TransferHeaders.chunk));
    if (!Number.isInteger(index) || index < 0 || index >= this.reply.total_chunks) return;
    this.lastArrival = Date.now();
    if (index < this.next || this.buffered.has(index)) {
      this.stats.duplicates++;
      return;
    }
    let sealed = msg.data;
    const fault = this.fault(index);
    if (fault === 'drop') {
      this.stats.dropped++;
      return;
    }
    if (fault === 'corrupt') {
      sealed = Uint8Array.from(sealed);
      sealed[sealed.length - 1]! ^= 0xff;
    }
    const plain = openChunkInPlace(this.keys, index, sealed, this.salt);
    if (!plain || plain.length !== this.chunkLength(index)) {
      this.stats.rejected++;
      this.ack();
      return;
    }
    this.stats.chunks++;
    const before = this.high;
    this.buffered.set(index, plain);
    this.high = Math.max(this.high, index + 1);
    this.last = index;
    if (revealsLoss(this.next, before, this.high, (i) => this.buffered.has(i))) this.ack();
    this.wake?.();
  }

  private onTick(): void {
    if (this.closed) return;
    const silent = Date.now() - this.lastArrival;
    if (silent >= this.timing.stallMs && this.wake) {
      this.fail(new ResumableError(Codes.timeout, 'the sender went silent'));
    } else if (silent >= this.timing.reackMs) this.ack();
  }

  private chunkLength(index: number): number {
    const { chunk_size, length } = this.reply;
    return Math.min(chunk_size, length - index * chunk_size);
  }

  private ack(cancel = false): void {
    const missing = missingChunks(this.next, this.high, (i) => this.buffered.has(i));
    const ack: TransferAck = { next: this.next, high: this.high, last: this.last, missing, ...(cancel ? { cancel } : {}) };
    const subject = subjects.transferAck(this.catalog, this.reply.transfer_id);
    if (!cancel && this.next === this.reply.total_chunks) {
      if (this.finalAckSent) return;
      this.finalAckSent = true;
      void confirmCompletion(this.nc, subject, encodeJson(ack), { timeoutMs: this.timing.reackMs, tries: 8, dropFirst: this.dropFinalAck });
      this.stats.acks++;
      return;
    }
    try {
      this.nc.publish(subject, encodeJson(ack));
    } catch (cause) {
      // Only a closed connection throws (a reconnecting one buffers): nothing more can arrive.
      clearInterval(this.timer);
      this.fail(new NatsterError(Codes.unavailable, 'the connection to the hub was closed during the download', { cause }));
      return;
    }
    this.ackedNext = this.next;
    this.stats.acks++;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake?.();
  }

  private close(cancel: boolean): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.sub.unsubscribe();
    if (cancel && !(this.failure instanceof NatsterError && this.failure.code === Codes.gone)) this.ack(true);
    this.buffered.clear();
    this.keys.key.fill(0);
  }
}
