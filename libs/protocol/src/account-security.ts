import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, UserKey, XKey } from './common';
import { message } from './validate';

/**
 * Every signup reply (`data` of a 200 envelope on `natster.signup`): the real
 * reply (SignupNonceReply or SignupReply, JSON) sealed in the xkv1 format from
 * a single-use sender xkey to the request's `reply_xkey`.
 */
export const SealedSignupReply = message(
  Type.Object(
    {
      sender_xkey: XKey,
      box: Type.String({ minLength: 64, maxLength: 65536, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: 'xkv1 box, base64' }),
    },
    { additionalProperties: false },
  ),
  'sealed signup reply',
);
export type SealedSignupReply = Static<typeof SealedSignupReply.schema>;

/** The text a user key signs to revoke itself; binds account, user and time so it cannot be reused elsewhere. */
export function userRevocationProof(account: string, user: string, issuedAt: number): string {
  return `natster.accounts.users.revoke\n${account}\n${user}\n${issuedAt}`;
}

/**
 * `natster.accounts.users.revoke`: a session revokes its own user JWT (the
 * portal on sign-out). Proof of the user seed: `signature` (ed25519, base64url)
 * over userRevocationProof(caller, user, issued_at), within a minute of now.
 */
export const UserRevokeRequest = message(
  Type.Object(
    {
      user: UserKey,
      /** The user JWT being revoked: issued by the caller's account for `user`, with an expiry. */
      jwt: Type.String({ maxLength: 8192 }),
      /** Seconds since the epoch when the proof was signed. */
      issued_at: Type.Integer({ minimum: 0 }),
      signature: Type.String({ maxLength: 256, description: 'base64url ed25519 signature of userRevocationProof' }),
    },
    { additionalProperties: false },
  ),
  'user revocation request',
);
export type UserRevokeRequest = Static<typeof UserRevokeRequest.schema>;

export const UserRevokeReply = message(
  Type.Object({
    account: AccountKey,
    user: UserKey,
    /** The server refuses this user's JWTs issued at or before this time (seconds since the epoch). */
    revoked_at: Type.Integer(),
  }),
  'user revocation reply',
);
export type UserRevokeReply = Static<typeof UserRevokeReply.schema>;
