import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthority, type Authority } from '@natster/accounts';
import { newAccountKey } from '@natster/claims';
import { signup } from '@natster/client';
import { HubAccounts, credsPath } from '@natster/hub';
import { createLogger } from '@natster/nats';
import { connectVerdict, startTestHub, type TestHub } from '@natster/testing';
import { mintPortalLogin, sealPortalLogin } from '../../cli/src/commands/login';
import { portalConnection } from '../src/server/portal-connection';
import { revokeSessionCreds } from '../src/server/revoke-session';
import { createSession, deleteSession } from '../src/server/session-store';
import { closeUserConnection, userConnection } from '../src/server/user-connections';

async function verdict(url: string, creds: string): Promise<string> {
  const attempt = await connectVerdict(url, creds);
  attempt.close();
  return attempt.verdict;
}

describe('sign-out revokes the session creds', () => {
  let th: TestHub;
  let authority: Authority;

  beforeAll(async () => {
    th = await startTestHub();
    authority = await startAuthority({ hubDir: th.dir, logger: createLogger('accounts', { write: () => {} }), eventRetryDelaysMs: [] });
    process.env.NATSTER_HUB_DIR = th.dir; // the portal's env module reads the hub from here
  });
  afterAll(async () => {
    await (await portalConnection().catch(() => null))?.close();
    await authority?.stop();
    await th?.stop();
  });

  it('after sign-out, connecting with the same creds fails; a session that never signed out keeps working', async () => {
    const account = newAccountKey();
    const { account: key } = await signup({ bootstrapCredsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), url: th.url, accountSeed: account.seed });
    const context = { name: 'default', hub_url: th.url, account: key, user: 'U' + 'A'.repeat(55), creds_path: '/x', account_seed_path: '/y', created_at: new Date().toISOString() };
    const [leaving, staying] = await Promise.all([mintPortalLogin(context, account.seed, 7), mintPortalLogin(context, account.seed, 7)]);
    const session = await createSession(leaving, sealPortalLogin(leaving, th.hub.info.portal_xkey));
    await userConnection(session); // a signed-in session holds its user connection

    // what the sign-out route does
    await revokeSessionCreds(session.id);
    await Promise.all([deleteSession(session.id), closeUserConnection(session.id)]);

    await expect.poll(() => verdict(th.url, leaving.creds)).toBe('authorization violation');
    expect(await verdict(th.url, staying.creds)).toBe('accepted');
  });
});
