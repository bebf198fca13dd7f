import {
  Algorithms,
  decode,
  encodeAccount,
  encodeOperator,
  encodeUser,
  fmtCreds,
  type Account,
  type ClaimsData,
  type Export,
  type Import,
  type Permissions,
  type RevocationList,
  type User,
} from '@nats-io/jwt';
import { createAccount, createOperator, createUser, fromSeed } from 'nkeys.js';
import { NO_JETSTREAM, UNLIMITED_JETSTREAM, UNLIMITED_NATS, type AccountLimits } from './limits';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A key pair in its serialised forms; seeds are secrets and are never logged. */
export interface KeyPairStrings {
  publicKey: string;
  seed: string;
}

function pair(kp: { getPublicKey(): string; getSeed(): Uint8Array }): KeyPairStrings {
  return { publicKey: kp.getPublicKey(), seed: dec.decode(kp.getSeed()) };
}

export const newOperatorKey = (): KeyPairStrings => pair(createOperator());
export const newAccountKey = (): KeyPairStrings => pair(createAccount());
export const newUserKey = (): KeyPairStrings => pair(createUser());

export function publicKeyOf(seed: string): string {
  return fromSeed(enc.encode(seed)).getPublicKey();
}

/** Signs `data` with an nkey seed (ed25519); base64url, as used by signup proofs. */
export function signWithSeed(seed: string, data: Uint8Array): string {
  return Buffer.from(fromSeed(enc.encode(seed)).sign(data)).toString('base64url');
}

const opts = { algorithm: Algorithms.v2 };

export function operatorJwt(name: string, operator: KeyPairStrings, signingKey: string, systemAccount: string): Promise<string> {
  return encodeOperator(name, operator.seed, { signing_keys: [signingKey], system_account: systemAccount }, opts);
}

export interface AccountSpec {
  name: string;
  /** The account's public key (the subject of the JWT). */
  account: string;
  exports?: Export[];
  imports?: Import[];
  /** Whether the account may keep JetStream streams and KV buckets. */
  jetstream?: boolean;
  /** Connection, subscription and JetStream limits; default unlimited (see limits.ts). */
  limits?: AccountLimits;
  /** User keys whose JWTs issued at or before the given time (seconds) the server refuses. */
  revocations?: RevocationList;
  description?: string;
}

/** Signs an account JWT with the operator's signing key. Limits are always explicit. */
export function accountJwt(spec: AccountSpec, operatorSigningSeed: string): Promise<string> {
  const limits = spec.limits ?? { ...UNLIMITED_NATS, ...(spec.jetstream ? UNLIMITED_JETSTREAM : NO_JETSTREAM) };
  const account: Partial<Account> = {
    limits,
    exports: spec.exports ?? [],
    imports: spec.imports ?? [],
    ...(spec.revocations && Object.keys(spec.revocations).length > 0 ? { revocations: spec.revocations } : {}),
    ...(spec.description ? { description: spec.description } : {}),
  };
  return encodeAccount(spec.name, spec.account, account, { ...opts, signer: operatorSigningSeed });
}

/** What a re-signing may change in an account JWT; everything else carries over. */
export type AccountChange = Pick<AccountSpec, 'imports' | 'revocations'>;

/**
 * Re-signs an account JWT with `change` applied. Name, exports, limits and
 * revocations carry over unless changed: an import edit must never lift a
 * cap or un-revoke a user.
 */
export function resignAccountJwt(jwt: string, operatorSigningSeed: string, change: (current: Partial<Account>) => AccountChange): Promise<string> {
  const claims = decode<Account>(jwt);
  const { limits, revocations, exports, imports, description } = claims.nats;
  const spec: AccountSpec = {
    name: claims.name,
    account: claims.sub,
    exports: exports ?? [],
    imports: imports ?? [],
    ...(limits ? { limits } : {}),
    ...(revocations ? { revocations } : {}),
    ...(description ? { description } : {}),
  };
  return accountJwt({ ...spec, ...change(claims.nats) }, operatorSigningSeed);
}

export interface UserSpec {
  name: string;
  user: string;
  permissions?: Permissions;
  /** Seconds since the epoch after which the JWT is no longer accepted. */
  expires?: number;
}

/** Signs a user JWT with the account's own seed (the account is the issuer). */
export function userJwt(spec: UserSpec, accountSeed: string): Promise<string> {
  const user: Partial<User> = { ...(spec.permissions ?? {}), subs: -1, data: -1, payload: -1 };
  return encodeUser(spec.name, spec.user, accountSeed, user, { ...opts, ...(spec.expires ? { exp: spec.expires } : {}) });
}

/** The standard `.creds` file text (JWT + seed). Write it with mode 0600. */
export function credsFile(jwt: string, userSeed: string): string {
  return dec.decode(fmtCreds(jwt, fromSeed(enc.encode(userSeed)) as never));
}

/** The JWT and the user seed of a `.creds` file's text (see credsFile). */
export function parseCreds(creds: string): { jwt: string; seed: string } {
  const lines = creds.split(/\r?\n/).map((line) => line.trim());
  const jwt = lines.find((line) => line.startsWith('ey'));
  const seed = lines.find((line) => line.startsWith('SU'));
  if (!jwt || !seed) throw new Error('not a .creds file: it needs a user JWT and a user seed');
  return { jwt, seed };
}

export function decodeJwt<T = unknown>(jwt: string): ClaimsData<T> {
  return decode<T>(jwt);
}

export type { Account, Export, Import, Permissions, RevocationList, User };
