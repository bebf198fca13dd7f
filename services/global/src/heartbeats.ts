import { decodeJson, encodeJson, type JetStreamClient, type KV, type KvEntry, type Logger } from '@natster/nats';
import { EventTypes, newEvent, type HeartbeatOfflineReply, type HeartbeatOfflineRequest, type HeartbeatReply, type HeartbeatRequest } from '@natster/protocol';
import { offlineAfterMs, type GlobalConfig } from './config';
import { appendEvent } from './event-log';
import { HeartbeatRecord, catalogKey } from './projections/records';

export interface HeartbeatDeps {
  js: JetStreamClient;
  /** Last heartbeat per catalog; entries expire after the offline threshold. */
  heartbeats: KV;
  /** Catalogs currently announced online; only the sweep removes them. */
  online: KV;
  config: Pick<GlobalConfig, 'heartbeatPeriodMs' | 'dataKey'>;
}

function isCasConflict(err: unknown): boolean {
  return /wrong last sequence|key exists/i.test(String(err));
}

/**
 * Records a heartbeat. The first one of a silent catalog wins the create of
 * its NATSTER_ONLINE key (atomic, so with several instances exactly one
 * writes catalog_online).
 */
export async function putHeartbeat(deps: HeartbeatDeps, owner: string, body: HeartbeatRequest): Promise<HeartbeatReply> {
  const key = catalogKey(owner, body.catalog);
  const record: HeartbeatRecord = { revision: body.revision, files: body.files ?? null, at: new Date().toISOString() };
  await deps.heartbeats.put(key, encodeJson(record));
  let cameOnline = false;
  try {
    await deps.online.create(key, encodeJson(record));
    cameOnline = true;
  } catch (err) {
    if (!isCasConflict(err)) throw err;
  }
  if (cameOnline) {
    const details = { revision: body.revision, ...(body.files !== undefined ? { files: body.files } : {}) };
    await appendEvent(deps.js, deps.config.dataKey, newEvent(EventTypes.catalogOnline, owner, { catalog: body.catalog, details }));
  }
  return { came_online: cameOnline, period_ms: deps.config.heartbeatPeriodMs };
}

/** The last heartbeat of a catalog, or null when it is silent (expired or never seen). */
export async function lastHeartbeat(deps: Pick<HeartbeatDeps, 'heartbeats' | 'config'>, key: string): Promise<HeartbeatRecord | null> {
  const entry = await deps.heartbeats.get(key);
  if (!entry || entry.operation !== 'PUT') return null;
  // the server expires entries on its own schedule; do not trust a stale one
  if (Date.now() - entry.created.getTime() > offlineAfterMs(deps.config)) return null;
  return HeartbeatRecord.check(decodeJson(entry.value));
}

/**
 * Deletes an online key by CAS on its revision and writes catalog_offline;
 * false when another instance or a new heartbeat got there first.
 */
async function takeOffline(deps: HeartbeatDeps, key: string, entry: KvEntry, logger: Logger, reason: string): Promise<boolean> {
  try {
    await deps.online.delete(key, { previousSeq: entry.revision });
  } catch (err) {
    if (isCasConflict(err)) return false;
    throw err;
  }
  const [owner = '', catalog = ''] = key.split('.');
  const last = HeartbeatRecord.check(decodeJson(entry.value));
  await appendEvent(deps.js, deps.config.dataKey, newEvent(EventTypes.catalogOffline, owner, { catalog, details: { revision: last.revision } }));
  logger.info('catalog offline', { account: owner, catalog, reason });
  return true;
}

/**
 * A catalog server stopping cleanly: its catalog goes offline now rather
 * than three periods later. The key is built from the caller, so an
 * account can only take its own catalogs offline.
 */
export async function announceOffline(deps: HeartbeatDeps, owner: string, body: HeartbeatOfflineRequest, logger: Logger): Promise<HeartbeatOfflineReply> {
  const key = catalogKey(owner, body.catalog);
  await deps.heartbeats.delete(key);
  const entry = await deps.online.get(key);
  if (!entry || entry.operation !== 'PUT') return { went_offline: false };
  return { went_offline: await takeOffline(deps, key, entry, logger, 'stopped') };
}

/**
 * Announces catalogs that went silent. Expiry in a KV bucket leaves no
 * delete marker to watch on nats-server 2.9, so each instance checks every
 * online catalog several times a period; deleting the online key is CAS on
 * its revision, so only one instance writes catalog_offline.
 */
export async function sweepOffline(deps: HeartbeatDeps, logger: Logger): Promise<number> {
  const keys: string[] = [];
  for await (const key of await deps.online.keys()) keys.push(key);
  let wentOffline = 0;
  for (const key of keys) {
    const entry = await deps.online.get(key);
    if (!entry || entry.operation !== 'PUT' || (await lastHeartbeat(deps, key))) continue;
    if (await takeOffline(deps, key, entry, logger, 'silent')) wentOffline++;
  }
  return wentOffline;
}

/**
 * How often the sweep runs: a tenth of a period, so a crashed catalog is
 * offline at most 3.1 periods after its last heartbeat (a sweep once a
 * period made that up to 4: ~106 s was seen with 30 s periods).
 */
const sweepEveryMs = (config: Pick<GlobalConfig, 'heartbeatPeriodMs'>): number => Math.max(Math.floor(config.heartbeatPeriodMs / 10), 100);

/** Runs sweepOffline until stopped. */
export function startOfflineSweep(deps: HeartbeatDeps, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    // a sweep slower than the interval is not queued behind itself
    running ??= sweepOffline(deps, logger)
      .catch((error: unknown) => logger.warn('offline sweep failed; will retry shortly', { error }))
      .finally(() => (running = null));
  }, sweepEveryMs(deps.config));
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
