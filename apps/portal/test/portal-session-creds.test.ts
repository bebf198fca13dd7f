import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectVerdict, type ConnectVerdict } from '@natster/testing';
import { mintPortalLogin, sealPortalLogin } from '../../cli/src/commands/login';
import { createSession, findSession } from '../src/server/session-store';
import { startSignedUpHub, type SignedUpHub } from './signed-up-hub';

describe('the creds `natster login` mints for a portal session, at a real hub', () => {
  let hub: SignedUpHub;
  const open: ConnectVerdict[] = [];
  const connect = async (creds: string) => {
    const attempt = await connectVerdict(hub.th.url, creds);
    open.push(attempt);
    return attempt;
  };

  beforeAll(async () => {
    hub = await startSignedUpHub();
  });
  afterAll(async () => {
    for (const attempt of open) attempt.close();
    await hub?.stop();
  });

  it('may read, stream, import and revoke itself, and nothing else of the account', async () => {
    const { context, accountSeed } = await hub.signUp();
    const login = await mintPortalLogin(context, accountSeed, 7);
    const session = await connect(login.creds);
    expect(session.verdict).toBe('accepted');
    // what the portal does for its user
    for (const line of ['PUB natster.global.dashboard 0', 'PUB natster.catalog.films.download 0', 'PUB natster.accounts.catalogs.import 0', 'PUB natster.accounts.users.revoke 0']) {
      expect(await session.send(line, ''), line).toBe('ok');
    }
    for (const line of ['SUB natster.global-events.> 1', 'SUB natster.media.> 2', 'SUB _INBOX.x 3']) expect(await session.send(line), line).toBe('ok');
    // what only the owner's own machine may do: drop imports, repair the account, stop its chunkers, read its inbox or the event log
    for (const subject of ['natster.accounts.catalogs.unimport', 'natster.accounts.repair', 'natster.local.chunker.stop', 'natster.events.x.none.none.y']) {
      expect(await session.send(`PUB ${subject} 0`, ''), subject).toBe(`permissions violation for publish to "${subject}"`);
    }
    for (const subject of ['natster.local.inbox', 'natster.>']) {
      expect(await session.send(`SUB ${subject} 9`), subject).toBe(`permissions violation for subscription to "${subject}"`);
    }
  });

  it('a session past its expiry is refused: the portal no longer finds it, and the hub no longer accepts its creds', async () => {
    const { context, accountSeed } = await hub.signUp();
    const login = await mintPortalLogin(context, accountSeed, 3 / 86_400); // `--days` of 3 seconds
    const session = await createSession(login, sealPortalLogin(login, hub.th.hub.info.portal_xkey));
    expect(session.expires_at).toBe(login.expires_at);
    expect((await findSession(session.id))?.account).toBe(context.account);
    expect((await connect(login.creds)).verdict).toBe('accepted');

    await expect.poll(() => findSession(session.id), { timeout: 15_000, interval: 250 }).toBeNull();
    const verdict = async () => (await connect(login.creds)).verdict;
    // until the hub refuses them for what they are (a loaded machine can also time a connect out)
    await expect.poll(verdict, { timeout: 15_000, interval: 250 }).toMatch(/authorization violation|expired/i);
  });
});
