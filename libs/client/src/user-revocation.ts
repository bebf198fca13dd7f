import { decodeJwt, parseCreds, signWithSeed } from '@natster/claims';
import { AccountsOps, UserRevokeReply, subjects, userRevocationProof } from '@natster/protocol';
import { call, type NatsConnection } from '@natster/nats';
import { orUnavailable } from './unavailable';

const OFFLINE = 'the account authority is not answering, so these session creds stay valid until they expire: try signing out again';

/**
 * Revokes the user JWT of `creds` (a session's own creds, e.g. the portal's
 * on sign-out) through the authority, over `nc` of the same account: it
 * proves the user seed by signing a fresh proof. Afterwards the server
 * refuses that JWT and closes its connections, `nc` included.
 */
export async function revokeOwnUser(nc: NatsConnection, creds: string, timeout = 10_000): Promise<UserRevokeReply> {
  const { jwt, seed } = parseCreds(creds);
  const { sub: user, iss: account } = decodeJwt(jwt);
  const issuedAt = Math.floor(Date.now() / 1000);
  const signature = signWithSeed(seed, new TextEncoder().encode(userRevocationProof(account, user, issuedAt)));
  const request = { user, jwt, issued_at: issuedAt, signature };
  return orUnavailable(call(nc, subjects.accounts(AccountsOps.revokeUser), request, UserRevokeReply, { timeout, offline: OFFLINE }), OFFLINE);
}
