import { Type, type Static } from '@sinclair/typebox';
import { fromPublic } from 'nkeys.js';
import { signWithSeed } from '@natster/claims';
import { Codes, NatsterError, message } from '@natster/protocol';

/**
 * What an invite code states: `<claims>.<signature>`, both base64url; the
 * claims are compact JSON and the signature is ed25519 by the hub's operator
 * signing key (held by the authority and the hub's owner only) over the
 * claims' base64url text. Short keys keep the pasted line short.
 */
const InviteClaimsSchema = Type.Object(
  {
    /** Invite id: the key of its record in the invites bucket. */
    i: Type.String({ pattern: '^[0-9a-f]{12}$' }),
    /** Expiry, seconds since the epoch. */
    e: Type.Integer({ minimum: 0 }),
    /** How many accounts it may create. */
    u: Type.Integer({ minimum: 1, maximum: 10_000 }),
  },
  { additionalProperties: false },
);
export type InviteClaims = Static<typeof InviteClaimsSchema>;
const InviteClaims = message(InviteClaimsSchema, 'invite code');

const FORGED = 'this invite was not signed by this hub; ask the hub’s owner for a new one';

export function signInviteCode(claims: InviteClaims, signingSeed: string): string {
  const body = Buffer.from(JSON.stringify(InviteClaims.check(claims))).toString('base64url');
  return `${body}.${signWithSeed(signingSeed, new TextEncoder().encode(body))}`;
}

/** The claims of a code this hub signed; anything else (another hub's, altered, garbage) is a 403. */
export function readInviteCode(code: string, signingKey: string): InviteClaims {
  const [body, signature, ...rest] = code.split('.');
  if (!body || !signature || rest.length > 0) throw new NatsterError(Codes.forbidden, FORGED);
  let valid: boolean;
  try {
    valid = fromPublic(signingKey).verify(new TextEncoder().encode(body), Buffer.from(signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) throw new NatsterError(Codes.forbidden, FORGED);
  return InviteClaims.check(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
}
