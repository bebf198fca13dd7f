/**
 * Every NATS subject Natster uses is built here and nowhere else.
 *
 * Subjects come in two views. A caller publishes the *local* form
 * (`natster.global.stats`); an import maps it into the exporting account
 * with the caller's account key as token 1 (`A….natster.global.stats`).
 * Services subscribe to the *scoped* form and read the caller from token 1,
 * which NATS guarantees because every export uses account token position 1.
 */

/** A NATS account public key: 'A' + 55 base32 characters. */
export const ACCOUNT_KEY_PATTERN = /^A[A-Z2-7]{55}$/;

/** Catalog names: what `catalogs.validatename` and every catalog subject accepts. */
export const CATALOG_NAME_PATTERN = /^[a-z0-9_-]{1,32}$/;

/**
 * A catalog's content id: the first 128 bits (32 lowercase hex digits) of the
 * SHA-256 of its distinct file hashes, sorted and joined by newlines. Two
 * copies of a catalog with the same id can serve the same files, whatever
 * their paths, revisions or hosts; a stale or different copy has another id.
 */
export const CATALOG_CONTENT_PATTERN = /^[0-9a-f]{32}$/;

/** Transfer ids are single subject tokens. */
export const TRANSFER_ID_PATTERN = /^[A-Za-z0-9]{8,40}$/;

export function isAccountKey(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_KEY_PATTERN.test(value);
}

export function isCatalogName(value: unknown): value is string {
  return typeof value === 'string' && CATALOG_NAME_PATTERN.test(value);
}

/**
 * Names no new catalog may take (`catalogs.validatename`, the authority's
 * import, `natster catalog new`): the tokens of Natster's own subjects and the
 * names of the standard imports and exports. Imports are no longer keyed by
 * name, so these cannot break an account any more; refusing them keeps an
 * older authority or tool that still matches by name (`natster_<catalog>`)
 * from being aimed at `natster_global` or `natster_accounts`. Names ending in
 * `_media` stay allowed: nothing is derived from that suffix any longer.
 */
export const RESERVED_CATALOG_NAMES: readonly string[] = [
  'global',
  'global-events',
  'global_events',
  'accounts',
  'signup',
  'local',
  'events',
  'catalog',
  'media',
  'chunker',
  'inbox',
  'natster',
];

export function isReservedCatalogName(name: string): boolean {
  return RESERVED_CATALOG_NAMES.includes(name);
}

/**
 * The importer's local name for an imported catalog: the token in its local
 * subjects `natster.catalog.<alias>.>` and `natster.media.<alias>.>`, and in
 * the portal's URLs. Grammar: `<catalog>` or `<catalog>~<owner key prefix>`,
 * where the prefix is the first 8 (or more, until unique) characters of the
 * owner's account key. The first import of a name keeps the plain name; a
 * second owner's catalog of the same name gets the suffix.
 *
 * Why `~`: it is a valid NATS subject token character, RFC 3986 "unreserved"
 * (never percent-encoded, so URLs and `encodeURIComponent` keep it as is),
 * safe in file names, and not in the catalog name alphabet, so an alias with
 * a suffix can never equal a real catalog name. (`@` would be percent-encoded
 * by `encodeURIComponent`.) The key prefix, not a display name: it is stable,
 * needs no lookup, and display names are personal data kept sealed.
 */
export const CATALOG_ALIAS_PATTERN = /^[a-z0-9_-]{1,32}(~A[A-Z2-7]{7,55})?$/;
export const ALIAS_SEPARATOR = '~';
/** Owner key characters an alias suffix starts with (more only when two owners share the prefix). */
export const ALIAS_KEY_PREFIX = 8;

export function isCatalogAlias(value: unknown): value is string {
  return typeof value === 'string' && CATALOG_ALIAS_PATTERN.test(value);
}

/** `films~ABCDEFGH`: catalog `films` of the owner whose key starts with the given characters. */
export function catalogAlias(catalog: string, owner: string, prefixLength = ALIAS_KEY_PREFIX): string {
  return `${catalog}${ALIAS_SEPARATOR}${owner.slice(0, prefixLength)}`;
}

/** The catalog name and owner key prefix (null for a plain alias) an alias spells. */
export function parseCatalogAlias(alias: string): { catalog: string; ownerPrefix: string | null } {
  const at = alias.indexOf(ALIAS_SEPARATOR);
  return at < 0 ? { catalog: alias, ownerPrefix: null } : { catalog: alias.slice(0, at), ownerPrefix: alias.slice(at + 1) };
}

/** Operation names of the global service, `natster.global.<op>`. */
export const GlobalOps = {
  eventsPut: 'events.put',
  heartbeatsPut: 'heartbeats.put',
  heartbeatsOffline: 'heartbeats.offline',
  stats: 'stats',
  myShares: 'my.shares',
  otcGenerate: 'otc.generate',
  otcClaim: 'otc.claim',
  whoami: 'whoami',
  contextGet: 'context.get',
  validateCatalogName: 'catalogs.validatename',
} as const;
export type GlobalOp = (typeof GlobalOps)[keyof typeof GlobalOps];

/** Operation names of the account authority, `natster.accounts.<op>`. */
export const AccountsOps = {
  importCatalog: 'catalogs.import',
  unimportCatalog: 'catalogs.unimport',
  get: 'get',
  /** Re-signs the standard imports (and incomplete catalog import pairs) an account lost. */
  repair: 'repair',
  /** A session revokes its own user JWT (account-security.ts). */
  revokeUser: 'users.revoke',
} as const;
export type AccountsOp = (typeof AccountsOps)[keyof typeof AccountsOps];

/** Operation names of a catalog server, `natster.catalog.<catalog>.<op>`. */
export const CatalogOps = {
  get: 'get',
  download: 'download',
} as const;
export type CatalogOp = (typeof CatalogOps)[keyof typeof CatalogOps];

/** Broadcast operations of every chunker, `natster.local.chunker.<op>` (owner's account only); starts go to `subjects.chunkerStart`. */
export const ChunkerOps = {
  stop: 'stop',
} as const;
export type ChunkerOp = (typeof ChunkerOps)[keyof typeof ChunkerOps];

function token(value: string, what: string, pattern?: RegExp): string {
  if (value.length === 0 || /[\s.*>]/.test(value) || (pattern && !pattern.test(value))) {
    throw new TypeError(`invalid ${what} for a subject token: ${JSON.stringify(value)}`);
  }
  return value;
}

export const subjects = {
  /** Public, publish-only bootstrap subject served by the authority. */
  signup: (): string => 'natster.signup',
  /** Caller view of an authority operation. */
  accounts: (op: AccountsOp): string => `natster.accounts.${op}`,
  /** Caller view of a global-service operation. */
  global: (op: GlobalOp): string => `natster.global.${op}`,
  /** Caller view of the live event feed for one event type (or `>` for all). */
  globalEvents: (type: string): string => `natster.global-events.${type === '>' ? '>' : token(type, 'event type')}`,
  /** Caller view of a catalog operation: my own catalog by name, an imported one by its alias. */
  catalog: (catalog: string, op: CatalogOp): string =>
    `natster.catalog.${token(catalog, 'catalog', CATALOG_ALIAS_PATTERN)}.${op}`,
  /** Caller view of the flow-control subject of one transfer. */
  transferAck: (catalog: string, transferId: string): string =>
    `natster.catalog.${token(catalog, 'catalog', CATALOG_ALIAS_PATTERN)}.transfer.${token(transferId, 'transfer id', TRANSFER_ID_PATTERN)}.ack`,
  /** Receiver view of the sealed chunks of one transfer of an imported catalog. */
  media: (catalog: string, transferId: string): string =>
    `natster.media.${token(catalog, 'catalog', CATALOG_ALIAS_PATTERN)}.${token(transferId, 'transfer id', TRANSFER_ID_PATTERN)}`,
  /** Chunker control subjects, local to the owner's account, heard by every chunker. */
  chunker: (op: ChunkerOp): string => `natster.local.chunker.${op}`,
  /**
   * Starts a transfer of one of the owner's catalogs as it is now (`content`: its content id):
   * only chunkers that can read that catalog and hold a copy with that content listen (queue group `chunkers`).
   */
  chunkerStart: (catalog: string, content: string): string =>
    `natster.local.chunker.${token(catalog, 'catalog', CATALOG_NAME_PATTERN)}.${token(content, 'catalog content id', CATALOG_CONTENT_PATTERN)}.start`,
  /** Local-only: shares waiting for the owner of this account. */
  localInbox: (): string => 'natster.local.inbox',
  /** Event log subject inside NATSTER_GLOBAL. */
  event: (origin: string, target: string | null, catalog: string | null, type: string): string =>
    `natster.events.${token(origin, 'origin')}.${target ? token(target, 'target') : 'none'}.${catalog ? token(catalog, 'catalog') : 'none'}.${token(type, 'event type')}`,
} as const;

/** Patterns that services subscribe to and that account JWTs export/import. */
export const patterns = {
  globalService: '*.natster.global.>',
  globalEvents: '*.natster.global-events.>',
  accountsService: '*.natster.accounts.>',
  catalogService: '*.natster.catalog.>',
  media: '*.natster.media.>',
  signup: 'natster.signup',
  events: 'natster.events.>',
  chunker: 'natster.local.chunker.>',
  catalogOf: (catalog: string): string => `*.natster.catalog.${token(catalog, 'catalog', CATALOG_NAME_PATTERN)}.>`,
  /** The operations of one catalog (one token, so transfer acks are not caught): other accounts' view… */
  catalogOpsOf: (catalog: string): string => `*.natster.catalog.${token(catalog, 'catalog', CATALOG_NAME_PATTERN)}.*`,
  /** …and the owner's own account's view. */
  localCatalogOpsOf: (catalog: string): string => `natster.catalog.${token(catalog, 'catalog', CATALOG_NAME_PATTERN)}.*`,
} as const;

/** Prefixes a caller-view subject with an account key: what the exporter sees. */
export function scoped(account: string, subject: string): string {
  return `${token(account, 'account', ACCOUNT_KEY_PATTERN)}.${subject}`;
}

/**
 * The caller of a scoped subject: token 1, guaranteed by the export's
 * account token position. Returns null for unscoped (same-account) subjects.
 */
export function callerOf(subject: string): string | null {
  const first = subject.slice(0, subject.indexOf('.'));
  return ACCOUNT_KEY_PATTERN.test(first) ? first : null;
}

/** Strips the account token (if any) and returns the caller-view subject. */
export function unscoped(subject: string): string {
  return callerOf(subject) === null ? subject : subject.slice(subject.indexOf('.') + 1);
}

