import type { OperatorLimits } from '@nats-io/jwt';

/**
 * nats-server 2.9 rejects every connection of an account whose JWT leaves
 * limits unset ("maximum account active connections exceeded"), so every
 * account states them explicitly.
 */
export const UNLIMITED_NATS = {
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
} as const;

/** JetStream enabled without limits (for accounts that keep streams and KV). */
export const UNLIMITED_JETSTREAM = {
  mem_storage: -1,
  disk_storage: -1,
  streams: -1,
  consumer: -1,
} as const;

/** JetStream disabled. */
export const NO_JETSTREAM = {
  mem_storage: 0,
  disk_storage: 0,
  streams: 0,
  consumer: 0,
} as const;

/** The limits of an account JWT, as nats-server reads them. */
export type AccountLimits = OperatorLimits;

/**
 * Connection and subscription caps of one class of account. nats-server
 * counts `conn` across the whole account (every server of a cluster) and
 * applies `subs` to each connection.
 */
export interface ConnectionLimits {
  /** Most simultaneous client connections of the account; -1 = no cap. */
  conn: number;
  /** Most subscriptions one connection may hold; -1 = no cap. */
  subs: number;
}

/** The caps a hub applies; its operator sets them in hub.json (`account_limits`). */
export interface AccountLimitPolicy {
  /** The public signup account: a few short-lived connections, one inbox each. */
  bootstrap: ConnectionLimits;
  /** Every user account the authority signs. */
  user: ConnectionLimits;
  /** The hub's own service accounts (AUTHORITY, NATSTER_GLOBAL, HUB, PORTAL); SYS stays uncapped. */
  service: ConnectionLimits;
}

/**
 * Defaults. Bootstrap: a signup holds one connection for about a second, so
 * 10 lets that many people sign up at the same instant while one client
 * cannot open hundreds; 8 subscriptions cover the client's request inbox.
 * User: a CLI, a catalog server with its chunker, downloads and every portal
 * session each hold one connection; 100 leaves room for all of them, 1,000
 * subscriptions per connection for a catalog server with many catalogs.
 */
export const DEFAULT_ACCOUNT_LIMITS: AccountLimitPolicy = {
  bootstrap: { conn: 10, subs: 8 },
  user: { conn: 100, subs: 1000 },
  service: { conn: 1000, subs: 100_000 },
};

/** Limits of a user account: capped connections and subscriptions, no JetStream. */
export function userAccountLimits(caps: ConnectionLimits): AccountLimits {
  return { ...UNLIMITED_NATS, ...NO_JETSTREAM, ...caps };
}

/** Limits of a hub service account, with JetStream when it keeps streams and KV. */
export function serviceAccountLimits(caps: ConnectionLimits, jetstream: boolean): AccountLimits {
  return { ...UNLIMITED_NATS, ...(jetstream ? UNLIMITED_JETSTREAM : NO_JETSTREAM), ...caps };
}

/** The public bootstrap account: a few small requests, nothing else. */
export function bootstrapLimits(caps: ConnectionLimits): AccountLimits {
  return { ...UNLIMITED_NATS, ...NO_JETSTREAM, ...caps, payload: 16 * 1024, imports: 1, exports: 0, leaf: 0, wildcards: false };
}
