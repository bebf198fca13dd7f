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
  type User,
} from '@nats-io/jwt';
import { createAccount, createOperator, createUser, fromSeed } from 'nkeys.js';
import { BOOTSTRAP_LIMITS, NO_JETSTREAM, UNLIMITED_JETSTREAM, UNLIMITED_NATS } from './limits';

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
  /** Limits for special accounts (the bootstrap account); default unlimited. */
  limits?: typeof BOOTSTRAP_LIMITS;
  description?: string;
}

/** Signs an account JWT with the operator's signing key. Limits are always explicit. */
export function accountJwt(spec: AccountSpec, operatorSigningSeed: string): Promise<string> {
  const limits = spec.limits ?? { ...UNLIMITED_NATS, ...(spec.jetstream ? UNLIMITED_JETSTREAM : NO_JETSTREAM) };
  const account: Partial<Account> = {
    limits,
    exports: spec.exports ?? [],
    imports: spec.imports ?? [],
    ...(spec.description ? { description: spec.description } : {}),
  };
  return encodeAccount(spec.name, spec.account, account, { ...opts, signer: operatorSigningSeed });
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

export function decodeJwt<T = unknown>(jwt: string): ClaimsData<T> {
  return decode<T>(jwt);
}

export type { Account, Export, Import, Permissions, User };
