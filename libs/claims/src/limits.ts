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

/** The public bootstrap account: a few small requests, nothing else. */
export const BOOTSTRAP_LIMITS = {
  ...UNLIMITED_NATS,
  ...NO_JETSTREAM,
  subs: 1000,
  payload: 16 * 1024,
  imports: 1,
  exports: 0,
  leaf: 0,
} as const;
