import { Codes, TransferEnd, TransferHeaders } from '@natster/protocol';
import { encodeJson, headers, type Logger, type NatsConnection } from '@natster/nats';
import type { SealPool, SealedChunk } from './seal-pool';
import type { Work } from './scheduler';
import type { Transfer, TransferPlan } from './transfer';

export interface PublisherOptions {
  nc: NatsConnection;
  pool: SealPool;
  logger: Logger;
  /** Whether the transfer still runs (a chunk sealed for a finished one is dropped). */
  isRunning(transfer: Transfer): boolean;
  /** A chunk could not be read or sealed: the transfer must end. */
  onSealFailed(transfer: Transfer, error: unknown): void;
}

export interface Publisher {
  /** Seals a chunk in the pool and publishes it (chunks sealed in one turn of the event loop go out in one socket write). */
  send(work: Work): void;
  /** Tells the receiver the transfer is over (header `Natster-End`, body TransferEnd). */
  end(plan: TransferPlan, code: number, reason: string): void;
  readonly counters: { bytes_sent: number; chunks_sent: number };
}

/** The chunker's NATS side: sealed chunks and end notices on the media subject. */
export function createPublisher(options: PublisherOptions): Publisher {
  const { nc, pool, logger } = options;
  const counters = { bytes_sent: 0, chunks_sent: 0 };
  let seq = 0;
  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false;
      else if (status.type === 'reconnect') connected = true;
    }
  })();

  const publish = ({ transfer, index }: Work, sealed: SealedChunk): void => {
    const { plan } = transfer;
    const h = headers();
    h.set(TransferHeaders.chunk, String(index));
    h.set(TransferHeaders.total, String(plan.total));
    // nats.js copies pending payloads into one socket write in a microtask it
    // queued at (or before) this publish, so the slot is free after ours.
    // While disconnected it keeps them instead: publish a copy then. (A view
    // published just before the disconnect event arrives is dropped when
    // nats.js redials, or fails that dial attempt, which it retries; the
    // receiver reports the chunk missing and it is resent.)
    nc.publish(plan.mediaSubject, connected ? sealed.bytes : sealed.bytes.slice(), { headers: h });
    queueMicrotask(sealed.release);
    transfer.onPublished(index, ++seq, Date.now());
    counters.bytes_sent += sealed.bytes.length;
    counters.chunks_sent++;
  };

  const ready: { work: Work; sealed: SealedChunk }[] = [];
  const publishReady = (): void => {
    for (const { work, sealed } of ready.splice(0)) {
      if (options.isRunning(work.transfer)) publish(work, sealed);
      else sealed.release();
    }
  };

  return {
    counters,
    send(work) {
      const { plan } = work.transfer;
      pool.seal({ path: plan.path, ...work.transfer.rangeOf(work.index), index: work.index, salt: plan.salt, key: plan.key }).then(
        (sealed) => {
          if (!options.isRunning(work.transfer)) return sealed.release();
          ready.push({ work, sealed });
          if (ready.length === 1) setImmediate(publishReady);
        },
        (error: unknown) => {
          if (options.isRunning(work.transfer)) options.onSealFailed(work.transfer, error);
        },
      );
    },
    end(plan, code, reason) {
      const h = headers();
      h.set(TransferHeaders.end, String(code));
      nc.publish(plan.mediaSubject, encodeJson(TransferEnd.check({ code, reason })), { headers: h });
      const level = code === Codes.badRequest ? 'warn' : 'info';
      logger[level]('transfer ended', { transfer: plan.id, code, reason, subject: plan.mediaSubject });
    },
  };
}
