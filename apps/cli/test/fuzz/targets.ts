import type { TSchema } from '@sinclair/typebox';
import { createXKey } from '@natster/crypto';
import { newAccountKey, newUserKey } from '@natster/claims';
import {
  AccountRepairRequest,
  AccountsGetRequest,
  CatalogGetRequest,
  CatalogImportRequest,
  ChunkerStartRequest,
  ContextGetRequest,
  DownloadRequest,
  EventsPutRequest,
  HeartbeatOfflineRequest,
  HeartbeatRequest,
  InboxRequest,
  MySharesRequest,
  OtcClaimRequest,
  OtcGenerateRequest,
  SignupCompleteRequest,
  SignupNonceRequest,
  StatsRequest,
  UserRevokeRequest,
  ValidateCatalogNameRequest,
  WhoamiRequest,
  newEvent,
  subjects,
  type AccountsOp,
  type CatalogOp,
  type GlobalOp,
  type Message,
} from '@natster/protocol';
import type { NatsConnection } from '@natster/nats';

/** One request subject to fuzz: who sends, a valid body to mutate, and the schema the service decodes it with. */
export interface FuzzTarget {
  subject: string;
  nc: NatsConnection;
  base: Record<string, unknown>;
  message: Message<TSchema>;
  /** Fields that name a file: no hostile value in them may ever succeed (200). */
  fileFields?: string[];
}

export interface FuzzParties {
  /** The public signup user (BOOTSTRAP account). */
  bootstrap: NatsConnection;
  /** An account that imported the owner's catalog. */
  friend: NatsConnection;
  friendAccount: string;
  /** The catalog's owner (for its local subjects). */
  owner: NatsConnection;
  /** The catalog, as the owner names it and the friend imported it. */
  catalog: string;
  /** Its content id, as its chunker listens for it. */
  content: string;
}

const NO_SUCH_HASH = '0'.repeat(64);
const stranger = () => newAccountKey().publicKey;

type Spec = [Message<TSchema>, Record<string, unknown>];

/**
 * Every request operation of libs/protocol, each with a valid body whose
 * effect is harmless (an unknown file, a stranger's key, a code nobody has).
 * The Record types make the compiler ask for a new operation's entry.
 */
export function fuzzTargets(p: FuzzParties): FuzzTarget[] {
  const global: Record<GlobalOp, Spec> = {
    'events.put': [EventsPutRequest, newEvent('catalog_online', p.friendAccount, { catalog: 'fuzz' })],
    'heartbeats.put': [HeartbeatRequest, { catalog: 'fuzz', revision: 1 }],
    'heartbeats.offline': [HeartbeatOfflineRequest, { catalog: 'fuzz' }],
    stats: [StatsRequest, {}],
    'my.shares': [MySharesRequest, {}],
    'otc.generate': [OtcGenerateRequest, { context: { name: 'fuzz' }, sealed: 'opaque' }],
    'otc.claim': [OtcClaimRequest, { code: 'ABCDEFGHJK' }],
    whoami: [WhoamiRequest, {}],
    'context.get': [ContextGetRequest, { account: stranger() }],
    'catalogs.validatename': [ValidateCatalogNameRequest, { name: 'fuzz' }],
  };
  const accounts: Record<AccountsOp, Spec> = {
    'catalogs.import': [CatalogImportRequest, { catalog: 'fuzz', owner: stranger() }],
    'catalogs.unimport': [CatalogImportRequest, { catalog: 'fuzz', owner: stranger() }],
    get: [AccountsGetRequest, {}],
    repair: [AccountRepairRequest, {}],
    'users.revoke': [UserRevokeRequest, { user: newUserKey().publicKey, jwt: 'not.a.jwt', issued_at: Math.floor(Date.now() / 1000), signature: 'AAAA' }],
  };
  const catalog: Record<CatalogOp, Spec> = {
    get: [CatalogGetRequest, { limit: 10 }],
    download: [DownloadRequest, { hash: NO_SUCH_HASH, target_xkey: createXKey().publicKey }],
  };
  const signup = { account: newAccountKey().publicKey, reply_xkey: createXKey().publicKey };
  return [
    { subject: subjects.signup(), nc: p.bootstrap, base: { step: 'nonce', ...signup }, message: SignupNonceRequest },
    { subject: subjects.signup(), nc: p.bootstrap, base: { step: 'complete', ...signup, nonce: '1.2.3', signature: 'AAAA' }, message: SignupCompleteRequest },
    ...Object.entries(global).map(([op, [message, base]]) => ({ subject: subjects.global(op as GlobalOp), nc: p.friend, base, message })),
    ...Object.entries(accounts).map(([op, [message, base]]) => ({ subject: subjects.accounts(op as AccountsOp), nc: p.friend, base, message })),
    // the friend through its import, and the owner on its own catalog (no share check in front of the handler)
    ...[p.friend, p.owner].flatMap((nc) =>
      Object.entries(catalog).map(([op, [message, base]]) => ({ subject: subjects.catalog(p.catalog, op as CatalogOp), nc, base, message, fileFields: ['hash'] })),
    ),
    { subject: subjects.localInbox(), nc: p.owner, base: {}, message: InboxRequest },
    {
      subject: subjects.chunkerStart(p.catalog, p.content),
      nc: p.owner,
      base: { catalog: p.catalog, hash: NO_SUCH_HASH, downloader: null, target_xkey: createXKey().publicKey, offset: 0, length: 1 },
      message: ChunkerStartRequest,
      fileFields: ['hash'],
    },
  ];
}
