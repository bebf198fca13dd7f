import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, IsoTime, UserKey, XKey } from './common';
import { message } from './validate';

/** Longest creds text the portal accepts (a scoped user JWT + seed is ~1.5 KB). */
export const MAX_PORTAL_CREDS_CHARS = 8192;

/**
 * What `natster login` seals to the portal's xkey and hands to `otc.generate`:
 * scoped, expiring creds for one portal session. Only the portal (holder of
 * the xkey seed) can open it; the global service stores it opaque.
 */
export const PortalLogin = message(
  Type.Object(
    {
      version: Type.Literal(1),
      /** The user's account: the session acts as this account. */
      account: AccountKey,
      /** The portal user's public key (subject of the creds' JWT). */
      user: UserKey,
      /** `.creds` text: the scoped user JWT and its seed. */
      creds: Type.String({ minLength: 64, maxLength: MAX_PORTAL_CREDS_CHARS }),
      /** When the creds' JWT expires; the session never outlives it. */
      expires_at: IsoTime,
      /** Name of the CLI context that signed in (shown on the dashboard). */
      context: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    },
    { additionalProperties: false },
  ),
  'portal login payload',
);
export type PortalLogin = Static<typeof PortalLogin.schema>;

/**
 * A PortalLogin sealed to the portal's xkey, in transit (inside a one-time
 * code) and at rest (in a session): the sender's single-use xkey and the
 * xkv1 box, base64. Useless to anyone without the portal's xkey seed.
 */
export const SealedPortalLogin = message(
  Type.Object(
    {
      sender_xkey: XKey,
      box: Type.String({ minLength: 64, maxLength: 16384, pattern: '^[A-Za-z0-9+/]+={0,2}$', description: 'xkv1 box, base64' }),
    },
    { additionalProperties: false },
  ),
  'sealed portal login',
);
export type SealedPortalLogin = Static<typeof SealedPortalLogin.schema>;

/**
 * One signed-in browser session, kept in the portal's KV bucket (PORTAL
 * account). The creds stay sealed to the portal's xkey even at rest; the
 * browser only holds the random session id in an httpOnly cookie.
 */
export const PortalSession = message(
  Type.Object(
    {
      version: Type.Literal(1),
      account: AccountKey,
      sealed: SealedPortalLogin.schema,
      created_at: IsoTime,
      expires_at: IsoTime,
      context: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    },
    { additionalProperties: false },
  ),
  'portal session',
);
export type PortalSession = Static<typeof PortalSession.schema>;

/** Session ids are 32 random bytes, base64url: unguessable and a valid KV key. */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
