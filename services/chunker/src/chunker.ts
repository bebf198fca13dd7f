import { access, constants, stat } from 'node:fs/promises';
import { boxKey, createXKey, decodeXKey, transferSalt } from '@natster/crypto';
import {
  ChunkerStartRequest,
  ChunkerStop,
  Codes,
  NatsterError,
  TransferAck,
  TransferEnd,
  TransferHeaders,
  scoped,
  subjects,
  type ChunkerStartReply,
} from '@natster/protocol';
import { encodeJson, headers, nuid, route, startService, type Logger, type NatsConnection, type Subscription } from '@natster/nats';
import { chunkerDefaults } from './defaults';
import { SEAL_OVERHEAD } from '@natster/crypto';
import { createSealPool, type SealedChunk } from './seal-pool';
import { Transfer, type TransferPlan } from './transfer';

export interface ChunkerOptions {
  /** A connection in the catalog owner's account. */
  nc: NatsConnection;
  logger: Logger;
  threads?: number;
  chunkSize?: number;
  /** Chunks in flight per transfer. */
  window?: number;
  /** Unconsumed bytes across all transfers of this chunker. */
  maxInflightBytes?: number;
  idleTimeoutMs?: number;
  retransmitAfterMs?: number;
}

export interface ChunkerStats {
  active_transfers: number;
  bytes_sent: number;
  chunks_sent: number;
  retransmits: number;
  completed: number;
  abandoned: number;
  stopped: number;
}

export interface Chunker {
  stats(): ChunkerStats;
  /** Ends every transfer (receivers are told to resume elsewhere) and frees the pool. */
  stop(): Promise<void>;
}

interface Running {
  transfer: Transfer;
  acks: Subscription;
}

/**
 * The chunker: starts transfers for the catalog server (queue group
 * `chunkers`), seals chunks in a piscina pool and publishes them on the main
 * thread under credit-window flow control.
 */
export async function startChunker(options: ChunkerOptions): Promise<Chunker> {
  const { nc, logger } = options;
  const chunkSize = options.chunkSize ?? chunkerDefaults.chunkSize;
  const window = options.window ?? chunkerDefaults.window;
  const maxInflight = Math.max(1, Math.floor((options.maxInflightBytes ?? chunkerDefaults.maxInflightBytes) / chunkSize));
  const idleTimeoutMs = options.idleTimeoutMs ?? chunkerDefaults.idleTimeoutMs;
  const retransmitAfterMs = options.retransmitAfterMs ?? chunkerDefaults.retransmitAfterMs;
  const pool = createSealPool({ threads: options.threads ?? chunkerDefaults.threads(), slotBytes: SEAL_OVERHEAD + chunkSize });
  const running = new Map<string, Running>();
  const counters = { bytes_sent: 0, chunks_sent: 0, retransmits: 0, completed: 0, abandoned: 0, stopped: 0 };
  let outstanding = 0;
  let seq = 0;

  const stats = (): ChunkerStats => ({ active_transfers: running.size, ...counters });

  const finish = (run: Running): void => {
    if (!running.delete(run.transfer.plan.id)) return;
    outstanding -= run.transfer.outstanding;
    run.acks.unsubscribe();
    run.transfer.plan.key.fill(0);
    pump();
  };

  const end = (run: Running, code: number, reason: string): void => {
    const h = headers();
    h.set(TransferHeaders.end, String(code));
    nc.publish(run.transfer.plan.mediaSubject, encodeJson(TransferEnd.check({ code, reason })), { headers: h });
    logger.info('transfer ended', { transfer: run.transfer.plan.id, code, reason, subject: run.transfer.plan.mediaSubject });
    finish(run);
  };

  let connected = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') connected = false;
      else if (status.type === 'reconnect') connected = true;
    }
  })();

  const publish = (run: Running, index: number, sealed: SealedChunk): void => {
    const { plan } = run.transfer;
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
    run.transfer.onPublished(index, ++seq, Date.now());
    counters.bytes_sent += sealed.bytes.length;
    counters.chunks_sent++;
  };

  const ready: { run: Running; index: number; sealed: SealedChunk }[] = [];
  const publishReady = (): void => {
    for (const { run, index, sealed } of ready.splice(0)) {
      if (running.get(run.transfer.plan.id) === run) publish(run, index, sealed);
      else sealed.release();
    }
  };

  const dispatch = (run: Running, index: number): void => {
    const { plan } = run.transfer;
    const range = run.transfer.rangeOf(index);
    pool
      .seal({ path: plan.path, ...range, index, salt: plan.salt, key: plan.key })
      .then(
        (sealed) => {
          if (running.get(plan.id) !== run) return sealed.release();
          // Publish chunks sealed in the same turn of the event loop together: one socket write.
          ready.push({ run, index, sealed });
          if (ready.length === 1) setImmediate(publishReady);
        },
        (error: unknown) => {
          if (running.get(plan.id) !== run) return;
          logger.error('cannot read or seal a chunk', { transfer: plan.id, index, error });
          end(run, Codes.internal, 'the owner could not read the file; try again later');
        },
      );
  };

  /** Hands out work round-robin until every window or the chunker's budget is full. */
  function pump(): void {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (const run of running.values()) {
        const next = run.transfer.take(outstanding < maxInflight);
        if (!next) continue;
        progressed = true;
        if (next.resend) {
          counters.retransmits++;
          run.transfer.retransmits++;
        } else outstanding++;
        dispatch(run, next.index);
      }
    }
  }

  const onAck = (run: Running, data: Uint8Array): void => {
    let ack;
    try {
      ack = TransferAck.decode(data);
    } catch (error) {
      logger.debug('ignored a bad ack', { transfer: run.transfer.plan.id, error });
      return;
    }
    const before = run.transfer.outstanding;
    const outcome = run.transfer.onAck(ack, Date.now());
    outstanding -= before - run.transfer.outstanding;
    if (outcome === 'done') {
      counters.completed++;
      finish(run);
    } else if (outcome === 'cancelled') {
      counters.stopped++;
      finish(run);
    } else pump();
  };

  const start = async (body: ChunkerStartRequest): Promise<ChunkerStartReply> => {
    const info = await stat(body.path).catch(() => null);
    if (!info?.isFile()) throw new NatsterError(Codes.notFound, 'the file is no longer on disk; rescan the catalog');
    if (body.offset + body.length > info.size) {
      throw new NatsterError(Codes.badRequest, `range ${body.offset}+${body.length} is beyond the end of the file (${info.size} bytes)`);
    }
    await access(body.path, constants.R_OK).catch((cause: unknown) => {
      throw new NatsterError(Codes.internal, 'the owner cannot read the file', { cause });
    });
    const sender = createXKey();
    let key: Uint8Array;
    try {
      key = boxKey(decodeXKey(body.target_xkey), sender.secretKey);
    } catch (cause) {
      throw new NatsterError(Codes.badRequest, 'target_xkey is not a usable xkey (bad checksum or a weak key); make a fresh one for every download', { cause });
    } finally {
      sender.secretKey.fill(0);
      sender.seed.fill(0);
    }
    const id = nuid.next();
    const media = subjects.media(body.catalog, id);
    const ack = subjects.transferAck(body.catalog, id);
    const plan: TransferPlan = {
      id,
      catalog: body.catalog,
      downloader: body.downloader,
      path: body.path,
      offset: body.offset,
      length: body.length,
      chunkSize,
      total: Math.ceil(body.length / chunkSize),
      salt: transferSalt(id),
      key,
      mediaSubject: body.downloader ? scoped(body.downloader, media) : media,
      ackSubject: body.downloader ? scoped(body.downloader, ack) : ack,
    };
    const run: Running = {
      transfer: new Transfer(plan, window, Date.now()),
      acks: nc.subscribe(plan.ackSubject, { callback: (_err, msg) => onAck(run, msg.data) }),
    };
    running.set(id, run);
    logger.info('transfer started', { transfer: id, catalog: plan.catalog, downloader: plan.downloader, bytes: plan.length, subject: plan.mediaSubject });
    return { transfer_id: id, sender_xkey: sender.publicKey, chunk_size: chunkSize, total_chunks: plan.total };
  };

  const onStop = (data: Uint8Array): void => {
    let stop;
    try {
      stop = ChunkerStop.decode(data);
    } catch (error) {
      logger.warn('ignored a bad stop message', { error });
      return;
    }
    for (const run of [...running.values()]) {
      const { plan } = run.transfer;
      if (plan.catalog !== stop.catalog || (stop.account && plan.downloader !== stop.account)) continue;
      counters.stopped++;
      end(run, Codes.gone, stop.reason);
    }
  };

  const tick = setInterval(() => {
    const now = Date.now();
    for (const run of [...running.values()]) {
      if (now - run.transfer.lastAckAt > idleTimeoutMs) {
        counters.abandoned++;
        end(run, Codes.timeout, 'the receiver went silent; download again to resume');
      } else run.transfer.resendStale(now, retransmitAfterMs);
    }
    pump();
  }, 250);
  tick.unref();

  const stopSub = nc.subscribe(subjects.chunker('stop'), { callback: (_err, msg) => onStop(msg.data) });
  const service = await startService(
    nc,
    { name: 'natster-chunker', version: '0.1.0', description: 'Reads, seals and publishes catalog files', queue: 'chunkers', logger, stats },
    [
      {
        name: 'start',
        subject: subjects.chunker('start'),
        opOf: (subject) => (subject === subjects.chunker('start') ? 'start' : null),
        routes: [route({ op: 'start', request: ChunkerStartRequest, handle: start })],
      },
    ],
  );

  return {
    stats,
    async stop() {
      clearInterval(tick);
      stopSub.unsubscribe();
      await service.stop();
      for (const run of [...running.values()]) end(run, Codes.unavailable, 'the chunker stopped; the download resumes');
      await nc.flush();
      await pool.destroy();
    },
  };
}
