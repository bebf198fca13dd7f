import type { MsgHdrs } from '@natster/nats';
import type { SignupRatePolicy } from '@natster/hub';
import { Codes, NatsterError } from '@natster/protocol';
import { KeyedBuckets, TokenBucket } from './token-bucket';

/**
 * The header nats-server adds to a request that crossed an import with
 * `share: true` (the BOOTSTRAP account's signup import): who sent it. The
 * server writes it itself, so a client cannot pick its own identity.
 */
const REQUEST_INFO = 'Nats-Request-Info';

/** Which bootstrap connection sent a request: server name + connection id, or one shared key when the header is missing. */
export function connectionOf(headers: MsgHdrs | undefined): string {
  try {
    const info = JSON.parse(headers?.get(REQUEST_INFO) ?? '') as { server?: unknown; id?: unknown };
    if (typeof info.id === 'number') return `${String(info.server)}/${info.id}`;
  } catch {
    // fall through: without the header every requester shares one bucket
  }
  return 'unknown';
}

export interface SignupRate {
  /** Spends one signup of the requesting connection and of the hub; throws 429 with when to retry. */
  admit(headers: MsgHdrs | undefined): void;
}

export function signupRate(policy: SignupRatePolicy, now: () => number = Date.now): SignupRate {
  const perConnection = new KeyedBuckets(policy.per_connection, now);
  const global = new TokenBucket(policy.global, now);
  return {
    admit(headers) {
      const own = perConnection.take(connectionOf(headers));
      if (own > 0) throw new NatsterError(Codes.tooMany, `too many signups from this connection: retry after ${own} s`);
      const all = global.take();
      if (all > 0) throw new NatsterError(Codes.tooMany, `the hub is taking too many signups right now: retry after ${all} s`);
    },
  };
}
