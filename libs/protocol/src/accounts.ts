import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, CatalogName, DisplayName, Empty } from './common';
import { message } from './validate';

/** Step 1 of signup: ask the authority for a nonce bound to the account key. */
export const SignupNonceRequest = message(
  Type.Object({ step: Type.Literal('nonce'), account: AccountKey }, { additionalProperties: false }),
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

export const AccountClaimsReply = message(
  Type.Object({
    account: AccountKey,
    jwt: Type.String(),
    imports: Type.Array(Type.Object({ catalog: CatalogName, owner: AccountKey })),
  }),
  'account claims reply',
);
export type AccountClaimsReply = Static<typeof AccountClaimsReply.schema>;

export const AccountsGetRequest = message(Empty, 'account request');
