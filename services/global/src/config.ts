import type { Logger } from '@natster/nats';

/** Names of the JetStream resources the global service owns (all in NATSTER_GLOBAL). */
export const Names = {
  stream: 'NATSTER_EVENTS',
  buckets: {
    accounts: 'NATSTER_ACCOUNTS',
    shares: 'NATSTER_SHARES',
    stats: 'NATSTER_STATS',
    heartbeats: 'NATSTER_HEARTBEATS',
    online: 'NATSTER_ONLINE',
    otc: 'NATSTER_OTC',
  },
  /** Durable consumer of the live feed publisher (kept across rebuilds). */
  feedConsumer: 'feed',
  service: 'natster-global',
  queue: 'natster-global',
} as const;

export const Defaults = {
  /** The catalog server's own default too, so "three periods" means the same on both sides. */
  heartbeatPeriodMs: 15_000,
  /** A catalog is offline after this many silent heartbeat periods. */
  missedHeartbeats: 3,
  otcMaxAgeMs: 5 * 60_000,
  /** The log is the source of truth: keep events until the size limit. */
  eventMaxAgeMs: 0,
  eventMaxBytes: 1024 * 1024 * 1024,
  duplicateWindowMs: 2 * 60_000,
  replicas: 1,
} as const;

/** Everything startGlobal needs once connected. */
export interface GlobalConfig {
  /** Portal base URL; claim URLs are `<portalUrl>/login/<code>`. */
  portalUrl: string;
  /** Public key of the PORTAL account (the only caller of otc.claim and context.get). */
  portalAccount: string;
  /** Public key of the AUTHORITY account (writes natster_initialized for new accounts). */
  authorityAccount: string;
  replicas: number;
  heartbeatPeriodMs: number;
  otcMaxAgeMs: number;
  eventMaxAgeMs: number;
  eventMaxBytes: number;
  /** 32-byte key that seals fields identifying a person before they reach the log. */
  dataKey: Uint8Array;
  logger: Logger;
}

/** How long a catalog may stay silent before it counts as offline. */
export function offlineAfterMs(config: Pick<GlobalConfig, 'heartbeatPeriodMs'>): number {
  return config.heartbeatPeriodMs * Defaults.missedHeartbeats;
}
