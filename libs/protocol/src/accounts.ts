import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, CatalogName, DisplayName, Empty, XKey } from './common';
import { InviteCode } from './invite';
import { CATALOG_ALIAS_PATTERN } from './subjects';
import { message } from './validate';

const CatalogAlias = Type.String({ pattern: CATALOG_ALIAS_PATTERN.source, description: 'local alias of an imported catalog' });

/**
 * One thing wrong with an account's imports: a standard import
 * (`global`, `global-events`, `accounts`) missing or altered, or the media
 * half of an imported catalog's pair missing (`media:<alias>`).
 */
export const ImportProblem = Type.Object({
  import: Type.String({ maxLength: 128 }),
  problem: Type.Union([Type.Literal('missing'), Type.Literal('altered')]),
});
export type ImportProblem = Static<typeof ImportProblem>;

/**
 * `reply_xkey` of both signup steps: a single-use xkey of the requester that
 * the authority seals its reply to (SealedSignupReply). Every bootstrap
 * connection shares the same public creds, so any of them may see any signup
 * reply on the wire; sealed, it tells them nothing.
 */
const ReplyXKey = XKey;

/** Step 1 of signup: ask the authority for a nonce bound to the account key. */
export const SignupNonceRequest = message(
  Type.Object({ step: Type.Literal('nonce'), account: AccountKey, reply_xkey: ReplyXKey }, { additionalProperties: false }),
  'signup nonce request',
);
export const SignupNonceReply = message(Type.Object({ nonce: Type.String({ maxLength: 256 }) }), 'signup nonce reply');

/**
 * Step 2: prove possession of the account seed by signing the nonce
 * (ed25519 over the nonce's UTF-8 bytes, base64url) and ask for the account JWT.
 */
export const SignupCompleteRequest = message(
  Type.Object(
    {
      step: Type.Literal('complete'),
      account: AccountKey,
      nonce: Type.String({ maxLength: 256 }),
      signature: Type.String({ maxLength: 256, description: 'base64url ed25519 signature of the nonce' }),
      name: Type.Optional(DisplayName),
      /**
       * The invite code from an invite line (`<claims>.<signature>`, base64url): required by a hub
       * that signs up by invite only, unless the account already exists.
       */
      invite: Type.Optional(InviteCode),
      reply_xkey: ReplyXKey,
    },
    { additionalProperties: false },
  ),
  'signup request',
);
export const SignupReply = message(
  Type.Object({
    account: AccountKey,
    jwt: Type.String({ description: 'the account JWT, as pushed to the server' }),
    created: Type.Boolean({ description: 'false when the account already existed (idempotent signup)' }),
    /** For an existing account: what the authority restored (see AccountRepairReply); the repair path when `natster.accounts` itself was lost. */
    repaired: Type.Optional(Type.Array(ImportProblem)),
  }),
  'signup reply',
);
export type SignupReply = Static<typeof SignupReply.schema>;

/** Add or remove the two imports of catalog `catalog` owned by `owner` on the caller's account. */
export const CatalogImportRequest = message(
  Type.Object({ catalog: CatalogName, owner: AccountKey }, { additionalProperties: false }),
  'catalog import request',
);
export type CatalogImportRequest = Static<typeof CatalogImportRequest.schema>;

/** An imported catalog as the importer addresses it; grammar of `alias` in subjects.ts (CATALOG_ALIAS_PATTERN). */
export const ImportedCatalog = Type.Object({
  catalog: CatalogName,
  owner: AccountKey,
  /** The local subject token: `natster.catalog.<alias>.>`; what the CLI and portal use. */
  alias: CatalogAlias,
});
export type ImportedCatalog = Static<typeof ImportedCatalog>;

export const AccountClaimsReply = message(
  Type.Object({
    account: AccountKey,
    jwt: Type.String(),
    imports: Type.Array(ImportedCatalog),
    /** What is wrong with the account's imports (empty when healthy); `repair` fixes each. */
    damaged: Type.Array(ImportProblem),
  }),
  'account claims reply',
);
export type AccountClaimsReply = Static<typeof AccountClaimsReply.schema>;

export const AccountsGetRequest = message(Empty, 'account request');

/** `repair`: re-sign what `damaged` lists; the reply says what was restored. */
export const AccountRepairRequest = message(Empty, 'account repair request');
export const AccountRepairReply = message(
  Type.Composite([AccountClaimsReply.schema, Type.Object({ repaired: Type.Array(ImportProblem) })]),
  'account repair reply',
);
export type AccountRepairReply = Static<typeof AccountRepairReply.schema>;
