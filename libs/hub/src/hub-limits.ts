import { DEFAULT_ACCOUNT_LIMITS, type AccountLimitPolicy, type ConnectionLimits } from '@natster/claims';

/** A token bucket: `burst` requests at once, refilled at `per_minute`. */
export interface RateLimit {
  burst: number;
  per_minute: number;
}

/** How fast the authority creates accounts (hub.json `signup_rate`). */
export interface SignupRatePolicy {
  /** Across every requester: bounds how many accounts a flood can create. */
  global: RateLimit;
  /** Per bootstrap connection (the server tells the authority which one asked). */
  per_connection: RateLimit;
}

/**
 * Defaults. One person's `natster init` is one signup; 3 per connection
 * allow a retry or two, then one a minute. Globally 20 at once and 20 a
 * minute: a busy day of real signups fits, and a flood from many connections
 * makes at most 20 accounts a minute (today: 60 in 2.9 s from one client).
 */
export const DEFAULT_SIGNUP_RATE: SignupRatePolicy = {
  global: { burst: 20, per_minute: 20 },
  per_connection: { burst: 3, per_minute: 1 },
};

class HubConfigError extends Error {
  override name = 'HubConfigError';
}

function integerAtLeast(value: unknown, min: number, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new HubConfigError(`hub.json: ${where} must be a whole number ≥ ${min} (got ${JSON.stringify(value)}); fix it or delete the entry to get the default`);
  }
  return value;
}

function objectAt(value: unknown, where: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HubConfigError(`hub.json: ${where} must be an object`);
  return value as Record<string, unknown>;
}

function connectionLimits(value: unknown, defaults: ConnectionLimits, where: string): ConnectionLimits {
  const given = objectAt(value, where);
  // -1 means "no cap" to nats-server; 0 would lock the account out, so the least cap is 1
  const cap = (key: keyof ConnectionLimits) => {
    const v = given[key] ?? defaults[key];
    return v === -1 ? -1 : integerAtLeast(v, 1, `${where}.${key}`);
  };
  return { conn: cap('conn'), subs: cap('subs') };
}

function rateLimit(value: unknown, defaults: RateLimit, where: string): RateLimit {
  const given = objectAt(value, where);
  return {
    burst: integerAtLeast(given.burst ?? defaults.burst, 1, `${where}.burst`),
    per_minute: integerAtLeast(given.per_minute ?? defaults.per_minute, 1, `${where}.per_minute`),
  };
}

/** The account caps in hub.json, defaults filling what is left out; throws a message naming the bad entry. */
export function accountLimitPolicy(value: unknown): AccountLimitPolicy {
  const given = objectAt(value, 'account_limits');
  return {
    bootstrap: connectionLimits(given.bootstrap, DEFAULT_ACCOUNT_LIMITS.bootstrap, 'account_limits.bootstrap'),
    user: connectionLimits(given.user, DEFAULT_ACCOUNT_LIMITS.user, 'account_limits.user'),
    service: connectionLimits(given.service, DEFAULT_ACCOUNT_LIMITS.service, 'account_limits.service'),
  };
}

/** The signup rate in hub.json, defaults filling what is left out. */
export function signupRatePolicy(value: unknown): SignupRatePolicy {
  const given = objectAt(value, 'signup_rate');
  return {
    global: rateLimit(given.global, DEFAULT_SIGNUP_RATE.global, 'signup_rate.global'),
    per_connection: rateLimit(given.per_connection, DEFAULT_SIGNUP_RATE.per_connection, 'signup_rate.per_connection'),
  };
}
