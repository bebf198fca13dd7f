import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVerdict } from '@natster/testing';
import { mintPortalLogin, sealPortalLogin } from '../../cli/src/commands/login';
import { revokeSessionCreds } from '../src/server/revoke-session';
import { createSession, deleteSession } from '../src/server/session-store';
import { closeUserConnection, userConnection } from '../src/server/user-connections';
import { startSignedUpHub, type SignedUpHub } from './signed-up-hub';

async function verdict(url: string, creds: string): Promise<string> {
  const attempt = await connectVerdict(url, creds);
  attempt.close();
  return attempt.verdict;
}

describe('sign-out revokes the session creds', () => {
  let hub: SignedUpHub;

  beforeAll(async () => {
    hub = await startSignedUpHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('after sign-out, connecting with the same creds fails; a session that never signed out keeps working', async () => {
    const { th } = hub;
    const { context, accountSeed } = await hub.signUp();
    const [leaving, staying] = await Promise.all([mintPortalLogin(context, accountSeed, 7), mintPortalLogin(context, accountSeed, 7)]);
    const session = await createSession(leaving, sealPortalLogin(leaving, th.hub.info.portal_xkey));
    await userConnection(session); // a signed-in session holds its user connection

    // what the sign-out route does
    await revokeSessionCreds(session.id);
    await Promise.all([deleteSession(session.id), closeUserConnection(session.id)]);

    await expect.poll(() => verdict(th.url, leaving.creds)).toBe('authorization violation');
    expect(await verdict(th.url, staying.creds)).toBe('accepted');
  });
});
