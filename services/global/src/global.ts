import { connectNatster, createLogger, logReconnects, startService, type KV, type Logger, type NatsConnection } from '@natster/nats';
import { patterns } from '@natster/protocol';
import { globalOpOf, globalRoutes } from './api';
import { Defaults, Names, offlineAfterMs, type GlobalConfig } from './config';
import { runEventConsumer } from './event-consumer';
import { ensureEventStream } from './event-log';
import { publishToFeed } from './feed';
import { startOfflineSweep } from './heartbeats';
import { ensureSerialConsumer, openBucket } from './jetstream';
import { projectors } from './projections/projectors';
import { runProjector } from './projections/run-projector';

export type GlobalOptions = Partial<Omit<GlobalConfig, 'portalUrl' | 'portalAccount' | 'authorityAccount' | 'dataKey' | 'logger'>> &
  Pick<GlobalConfig, 'portalUrl' | 'portalAccount' | 'authorityAccount' | 'dataKey'> & {
    logger?: Logger;
  } & (
    | { nc: NatsConnection }
    | { url: string; caFile?: string; credsPath?: string; creds?: string }
  );

export interface GlobalHandle {
  /** Stops serving and consuming; closes the connection only if startGlobal opened it. */
  stop(): Promise<void>;
}

export function resolveConfig(options: GlobalOptions): GlobalConfig {
  return {
    portalUrl: options.portalUrl,
    portalAccount: options.portalAccount,
    authorityAccount: options.authorityAccount,
    dataKey: options.dataKey,
    replicas: options.replicas ?? Defaults.replicas,
    heartbeatPeriodMs: options.heartbeatPeriodMs ?? Defaults.heartbeatPeriodMs,
    otcMaxAgeMs: options.otcMaxAgeMs ?? Defaults.otcMaxAgeMs,
    eventMaxAgeMs: options.eventMaxAgeMs ?? Defaults.eventMaxAgeMs,
    eventMaxBytes: options.eventMaxBytes ?? Defaults.eventMaxBytes,
    logger: options.logger ?? createLogger('global'),
  };
}

/**
 * Starts the global service: event log, projectors, live feed, heartbeat
 * sweep and the API on `*.natster.global.>` (queue group, so several copies
 * share the load and the projections stay correct).
 */
export async function startGlobal(options: GlobalOptions): Promise<GlobalHandle> {
  const config = resolveConfig(options);
  const logger = config.logger;
  const ownConnection = !('nc' in options);
  const nc =
    'nc' in options
      ? options.nc
      : await connectNatster({ servers: options.url, name: 'natster-global', ...(options.caFile ? { caFile: options.caFile } : {}), ...(options.credsPath ? { credsPath: options.credsPath } : {}), ...(options.creds ? { creds: options.creds } : {}) });
  const stopLoggingReconnects = logReconnects(nc, logger);
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  await ensureEventStream(jsm, config);

  const bucket = (name: string, ttlMs?: number): Promise<KV> => openBucket(js, name, { replicas: config.replicas, ...(ttlMs ? { ttlMs } : {}) });
  const [accounts, shares, stats, heartbeats, online, codes] = await Promise.all([
    bucket(Names.buckets.accounts),
    bucket(Names.buckets.shares),
    bucket(Names.buckets.stats),
    bucket(Names.buckets.heartbeats, offlineAfterMs(config)),
    bucket(Names.buckets.online),
    bucket(Names.buckets.otc, config.otcMaxAgeMs),
  ]);

  const consumers = projectors.map((p) => runProjector(js, nc, p, config));
  consumers.push(
    runEventConsumer(
      js,
      {
        durable: Names.feedConsumer,
        prepare: async () => {
          // a new feed starts at the present: history is not news
          await ensureSerialConsumer(jsm, Names.feedConsumer, 'new');
          return (event) => publishToFeed(nc, config.dataKey, shares, event);
        },
      },
      logger,
    ),
  );

  const deps = { js, config, accounts, shares, stats, heartbeats, online, codes };
  const sweep = startOfflineSweep(deps, logger);
  const service = await startService(
    nc,
    { name: Names.service, version: '0.1.0', description: 'Natster global service: events, shares, stats, one-time codes', queue: Names.queue, logger },
    [{ name: 'global', subject: patterns.globalService, opOf: globalOpOf, routes: globalRoutes(deps) }],
  );

  return {
    async stop() {
      await service.stop();
      await sweep.stop();
      await Promise.all(consumers.map((c) => c.stop()));
      stopLoggingReconnects();
      if (ownConnection) await nc.drain();
      logger.info('global service stopped');
    },
  };
}
