import { SEAL_OVERHEAD } from '@natster/crypto';
import { ChunkerStartRequest, ChunkerStop, Codes, TransferAck, TransferEnd, subjects } from '@natster/protocol';
import { encodeJson, route, startService, type Logger, type Msg, type NatsConnection, type Subscription } from '@natster/nats';
import { chunkerDefaults } from './defaults';
import { createPublisher } from './publisher';
import { Scheduler } from './scheduler';
import { createSealPool } from './seal-pool';
import type { ServedCatalogs } from './served-catalogs';
import { startTransferOf } from './start-transfer';
import type { Transfer, TransferPlan } from './transfer';

export interface ChunkerOptions {
  /** A connection in the catalog owner's account. */
  nc: NatsConnection;
  logger: Logger;
  /** The catalogs it takes transfers of (only their start subjects are subscribed). */
  catalogs: ServedCatalogs;
  threads?: number;
  chunkSize?: number;
  /** Chunks in flight per transfer. */
  window?: number;
  /** Unconsumed bytes across all transfers of this chunker, shared fairly by the downloading accounts. */
  maxInflightBytes?: number;
  idleTimeoutMs?: number;
  retransmitAfterMs?: number;
  /** On stop, in-flight transfers get this long to finish before they are cut (the receivers resume elsewhere). */
  drainMs?: number;
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
  /** Takes no new transfers, lets in-flight ones finish (at most `drainMs`), ends the rest (receivers resume) and frees the pool. */
  stop(): Promise<void>;
}

/**
 * The chunker: takes transfers of the catalogs it serves (queue group
 * `chunkers` on each catalog's start subject), seals chunks in a piscina
 * pool and publishes them; the scheduler decides what goes next.
 */
export async function startChunker(options: ChunkerOptions): Promise<Chunker> {
  const { nc, logger, catalogs } = options;
  if (catalogs.names.length === 0) throw new Error('no catalog to serve here: a chunker needs at least one catalog whose folder it can read');
  const chunkSize = options.chunkSize ?? chunkerDefaults.chunkSize;
  const window = options.window ?? chunkerDefaults.window;
  const drainMs = options.drainMs ?? chunkerDefaults.drainMs;
  const scheduler = new Scheduler({
    window,
    budget: Math.max(1, Math.floor((options.maxInflightBytes ?? chunkerDefaults.maxInflightBytes) / chunkSize)),
    idleTimeoutMs: options.idleTimeoutMs ?? chunkerDefaults.idleTimeoutMs,
    retransmitAfterMs: options.retransmitAfterMs ?? chunkerDefaults.retransmitAfterMs,
  });
  const pool = createSealPool({ threads: options.threads ?? chunkerDefaults.threads(), slotBytes: SEAL_OVERHEAD + chunkSize });
  const acks = new Map<string, Subscription>();
  let drained: (() => void) | null = null;

  const stats = (): ChunkerStats => ({ active_transfers: scheduler.size, ...publisher.counters, ...scheduler.counters });

  /** Frees what the transfer held once the scheduler has forgotten it. */
  const release = (plan: TransferPlan): void => {
    acks.get(plan.id)?.unsubscribe();
    acks.delete(plan.id);
    plan.key.fill(0);
    if (scheduler.size === 0) drained?.();
  };

  const end = (transfer: Transfer, code: number, reason: string): void => {
    if (!scheduler.remove(transfer.plan.id)) return;
    publisher.end(transfer.plan, code, reason);
    release(transfer.plan);
    pump();
  };

  const publisher = createPublisher({
    nc,
    pool,
    logger,
    isRunning: (transfer) => scheduler.get(transfer.plan.id) === transfer,
    onSealFailed(transfer, error) {
      logger.error('cannot read or seal a chunk', { transfer: transfer.plan.id, error });
      end(transfer, Codes.internal, 'the owner could not read the file; try again later');
    },
  });

  function pump(): void {
    for (const work of scheduler.takeAll()) publisher.send(work);
  }

  const onAck = (transfer: Transfer, msg: Msg): void => {
    let ack;
    try {
      ack = TransferAck.decode(msg.data);
    } catch (error) {
      end(transfer, Codes.badRequest, `malformed ack (${(error as Error).message}); the download stopped: update natster and download again`);
      return;
    }
    const outcome = scheduler.onAck(transfer.plan.id, ack, Date.now());
    if (outcome === 'invalid') {
      end(transfer, Codes.badRequest, `ack beyond the transfer's ${transfer.plan.total} chunks; the download stopped: download again`);
      return;
    }
    if (outcome === 'done' || outcome === 'cancelled') {
      // The final ack is a request: answering it tells the receiver it can stop repeating it.
      if (outcome === 'done' && msg.reply) msg.respond(encodeJson(TransferEnd.check({ code: Codes.ok, reason: 'complete' })));
      release(transfer.plan);
    }
    pump();
  };

  const start = startTransferOf({
    catalogs,
    chunkSize,
    window,
    onStarted(plan) {
      const transfer = scheduler.add(plan, Date.now());
      acks.set(plan.id, nc.subscribe(plan.ackSubject, { callback: (_err, msg) => onAck(transfer, msg) }));
      logger.info('transfer started', { transfer: plan.id, catalog: plan.catalog, downloader: plan.downloader, bytes: plan.length, subject: plan.mediaSubject });
    },
  });

  const onStop = (data: Uint8Array): void => {
    let stop;
    try {
      stop = ChunkerStop.decode(data);
    } catch (error) {
      logger.warn('ignored a bad stop message', { error });
      return;
    }
    for (const transfer of scheduler.transfers()) {
      const { plan } = transfer;
      if (plan.catalog !== stop.catalog || (stop.account && plan.downloader !== stop.account)) continue;
      scheduler.counters.stopped++;
      end(transfer, Codes.gone, stop.reason);
    }
  };

  const tick = setInterval(() => {
    for (const transfer of scheduler.tick(Date.now())) {
      publisher.end(transfer.plan, Codes.timeout, 'the receiver went silent; download again to resume');
      release(transfer.plan);
    }
    pump();
  }, 250);
  tick.unref();

  const stopSub = nc.subscribe(subjects.chunker('stop'), { callback: (_err, msg) => onStop(msg.data) });
  /** One service listening on the start subject of each served catalog's content as it is here now. */
  const listen = () => {
    const served = catalogs.current();
    return startService(
      nc,
      { name: 'natster-chunker', version: '0.1.0', description: 'Reads, seals and publishes catalog files', queue: 'chunkers', logger, stats, metadata: { catalogs: catalogs.names.join(',') } },
      served.map(({ name, contentId }) => {
        const subject = subjects.chunkerStart(name, contentId);
        return { name: `start-${name}`, subject, opOf: (s: string) => (s === subject ? 'start' : null), routes: [route({ op: 'start', request: ChunkerStartRequest, handle: start })] };
      }),
    );
  };
  const announce = () => {
    for (const c of catalogs.current()) logger.info('taking transfers of catalog content', { catalog: c.name, content: c.contentId, revision: c.revision, files: c.files, root: c.root });
  };
  let service = await listen();
  announce();
  // A changed copy (the catalog server here rescanned, a newer copy was imported): listen on the new
  // content's subject first, then leave the old one, so there is no moment without a listener.
  let switching: Promise<void> = Promise.resolve();
  let stopping = false;
  const unwatch = catalogs.watch(() => {
    switching = switching.then(async () => {
      if (stopping) return;
      const previous = service;
      service = await listen();
      await previous.stop();
      announce();
    }).catch((error: unknown) => logger.error('cannot listen on a catalog’s new content', { error }));
  });

  const drainAndStop = async (): Promise<void> => {
    stopping = true;
    unwatch();
    await switching;
    await service.stop();
    if (scheduler.size > 0) {
      logger.info('draining in-flight transfers', { transfers: scheduler.size, drain_ms: drainMs });
      await new Promise<void>((resolve) => {
        drained = resolve;
        setTimeout(resolve, drainMs).unref();
      });
    }
    clearInterval(tick);
    stopSub.unsubscribe();
    for (const transfer of scheduler.transfers()) end(transfer, Codes.unavailable, 'the chunker stopped; the download resumes');
    await nc.flush();
    await pool.destroy();
  };
  let stopped: Promise<void> | null = null;
  return { stats, stop: () => (stopped ??= drainAndStop()) };
}
