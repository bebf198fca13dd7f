import { Type, type Static } from '@sinclair/typebox';
import { Sha256Hex, XKey } from './common';
import { message } from './validate';

/** An invite code: `<claims>.<signature>`, base64url (architecture.md, "Invites"). */
export const InviteCode = Type.String({ maxLength: 512, pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$', description: 'invite code' });

/** Prefix of an invite line: `natster-invite:<base64url of the raw-deflated JSON InviteLine>`. */
export const INVITE_LINE_PREFIX = 'natster-invite:';

/**
 * What one pasted invite line carries: everything a friend's machine needs to
 * sign up on a hub it has never seen. Short keys keep the line short (about
 * 1.3 KB with a CA). Not a NATS message: it travels by chat, and is checked
 * by `natster init --invite` before anything connects.
 */
export const InviteLine = message(
  Type.Object(
    {
      /** Format version: 1. */
      v: Type.Literal(1),
      /** The hub's client URLs (every node; `tls://` on a public hub). */
      u: Type.Array(Type.String({ pattern: '^(nats|tls)://[^\\s,]+$', maxLength: 512 }), { minItems: 1, maxItems: 16 }),
      /** The hub's own CA certificate, DER in base64url, when the hub made its own CA. */
      ca: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 8192 })),
      /** SHA-256 of that DER: checked against `ca` before the CA is trusted. */
      pin: Type.Optional(Sha256Hex),
      /** The public signup (BOOTSTRAP) user's JWT. */
      j: Type.String({ maxLength: 4096 }),
      /** That user's seed (public by design: it may only request `natster.signup`). */
      s: Type.String({ pattern: '^SU[A-Z2-7]{56}$' }),
      /** The portal's URL. */
      p: Type.String({ pattern: '^https?://\\S+$', maxLength: 512 }),
      /** The portal's xkey, which `natster login` seals session creds to. */
      x: XKey,
      /** The invite code the signup presents (`invite` of SignupCompleteRequest). */
      i: InviteCode,
    },
    { additionalProperties: false },
  ),
  'invite line',
);
export type InviteLine = Static<typeof InviteLine.schema>;
