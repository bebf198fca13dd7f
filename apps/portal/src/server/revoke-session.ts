import { revokeOwnUser } from '@natster/client';
import { createLogger } from '@natster/nats';
import { portalEnv } from './env';
import { openPortalLogin } from './login-seal';
import { findSession } from './session-store';
import { userConnection } from './user-connections';

const log = createLogger('portal');

/**
 * Sign-out: has the authority revoke the session's user JWT (the account's
 * revocation list), so the creds die with the session instead of at their
 * expiry. Never blocks sign-out: a session minted before `natster login`
 * granted the revoke permission, or an authority that is down, leaves the
 * creds valid until they expire, and that is logged.
 */
export async function revokeSessionCreds(sessionId: string): Promise<void> {
  const session = await findSession(sessionId).catch(() => null);
  if (!session) return;
  try {
    const login = openPortalLogin(session.sealed, (await portalEnv()).xkeySeed);
    const { revoked_at } = await revokeOwnUser(await userConnection(session), login.creds);
    log.info('session creds revoked', { account: session.account, user: login.user, revoked_at });
  } catch (err) {
    log.warn('could not revoke the session creds: they stay valid until they expire; run `natster login` again to get creds that can revoke themselves', {
      account: session.account,
      error: err,
    });
  }
}
