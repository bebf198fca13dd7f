import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credsFile, decodeJwt, newAccountKey, newUserKey, signWithSeed, userJwt, type Account } from '@natster/claims';
import { AccountsClient, revokeOwnUser } from '@natster/client';
import { connectNatster, createLogger, type NatsConnection } from '@natster/nats';
import { AccountsOps, subjects, userRevocationProof } from '@natster/protocol';
import { connectVerdict, startTestHub, type TestHub } from '@natster/testing';
import { startAuthority, type Authority } from '../src';
import { SETTLES, rawRequest, signUpUser, type SignedUpUser } from './helpers';

const quiet = createLogger('accounts', { write: () => {} });
const DAY = 86_400;

/** Creds like `natster login` mints for a portal session: a fresh user key, signed by the account seed, expiring. */
async function sessionCreds(user: SignedUpUser, days = 7): Promise<{ creds: string; key: string; jwt: string }> {
  const key = newUserKey();
  const jwt = await userJwt({ name: 'portal-session', user: key.publicKey, expires: Math.floor(Date.now() / 1000) + days * DAY }, user.accountSeed);
  return { creds: credsFile(jwt, key.seed), key: key.publicKey, jwt };
}

/** The server's answer to one connection attempt; the socket is closed again at once. */
async function verdict(url: string, creds: string): Promise<string> {
  const attempt = await connectVerdict(url, creds);
  attempt.close();
  return attempt.verdict;
}

describe('revoking a session user', () => {
  let th: TestHub;
  let authority: Authority;
  const connections: NatsConnection[] = [];
  const connect = async (creds: string) => {
    const nc = await connectNatster({ servers: th.url, creds, name: 'session', failFast: true });
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    th = await startTestHub();
    authority = await startAuthority({ hubDir: th.dir, logger: quiet, eventRetryDelaysMs: [] });
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await authority?.stop();
    await th?.stop();
  });

  it('after a session revokes itself, its creds no longer connect; the account’s other users still do, and later edits keep the revocation', async () => {
    const alice = await signUpUser(th, 'alice', connections);
    const session = await sessionCreds(alice);
    const other = await sessionCreds(alice);
    expect(await verdict(th.url, session.creds)).toBe('accepted');

    const reply = await revokeOwnUser(await connect(session.creds), session.creds);
    expect(reply).toMatchObject({ account: alice.account, user: session.key });

    await expect.poll(() => verdict(th.url, session.creds), SETTLES).toBe('authorization violation');
    expect(await verdict(th.url, other.creds)).toBe('accepted');
    expect(await verdict(th.url, (await sessionCreds(alice)).creds)).toBe('accepted');

    // an import edit re-signs the account JWT: the revocation must survive it
    const edited = await new AccountsClient(alice.nc).unimportCatalog('hub', th.hub.info.accounts.HUB);
    expect(decodeJwt<Account>(edited.jwt).nats.revocations).toHaveProperty(session.key);
    expect(await verdict(th.url, session.creds)).toBe('authorization violation');
  });

  it('refuses to revoke without the user seed, a user of another account, stale proofs and non-expiring users', async () => {
    const bob = await signUpUser(th, 'bob', connections);
    const carol = await signUpUser(th, 'carol', connections);
    const bobSession = await sessionCreds(bob);
    const carolSession = await sessionCreds(carol);
    const now = Math.floor(Date.now() / 1000);
    const revoke = (body: Record<string, unknown>) => rawRequest(bob.nc, subjects.accounts(AccountsOps.revokeUser), body);
    const proof = (seed: string, account: string, user: string, at = now) => signWithSeed(seed, new TextEncoder().encode(userRevocationProof(account, user, at)));

    // bob's account names carol's session, signing with a key it owns: not carol's seed, not bob's user
    const impostor = newAccountKey();
    const foreign = await revoke({ user: carolSession.key, jwt: carolSession.jwt, issued_at: now, signature: proof(impostor.seed, bob.account, carolSession.key) });
    expect(foreign).toMatchObject({ code: 403, error: expect.stringMatching(/does not prove possession of the user seed/) });

    // a proof made for another account cannot be replayed through this one
    const replayed = await revoke({ user: bobSession.key, jwt: bobSession.jwt, issued_at: now, signature: proof(bob.accountSeed, carol.account, bobSession.key) });
    expect(replayed.code).toBe(403);

    const stale = now - 600;
    expect((await revoke({ user: bobSession.key, jwt: bobSession.jwt, issued_at: stale, signature: proof(bob.accountSeed, bob.account, bobSession.key, stale) })).code).toBe(403);

    const forever = newUserKey();
    const foreverJwt = await userJwt({ name: 'cli', user: forever.publicKey }, bob.accountSeed);
    const noExpiry = await revoke({ user: forever.publicKey, jwt: foreverJwt, issued_at: now, signature: signWithSeed(forever.seed, new TextEncoder().encode(userRevocationProof(bob.account, forever.publicKey, now))) });
    expect(noExpiry).toMatchObject({ code: 400, error: expect.stringMatching(/only expiring session creds/) });

    expect((await revoke({ user: 'not-a-key', jwt: 'x', issued_at: -1, signature: '' })).code).toBe(400);
    // nothing was revoked
    expect(await verdict(th.url, carolSession.creds)).toBe('accepted');
    expect(await verdict(th.url, bobSession.creds)).toBe('accepted');
  });
});
