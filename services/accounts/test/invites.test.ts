import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccountKey, newOperatorKey } from '@natster/claims';
import { signup } from '@natster/client';
import { HubAccounts, readHubInfo, writeHubInfo } from '@natster/hub';
import { createLogger, type NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import { openInviteAdmin, startAuthority, type Authority, type InviteAdmin } from '../src';
import { signInviteCode } from '../src/invites/invite-code';
import { ACCOUNTS_BUCKET } from '../src/store';
import { bootstrapCreds, connectBootstrap, rawSignup, sign } from './helpers';

const quiet = createLogger('accounts', { write: () => {} });
const DAY = 86_400_000;

describe('signup by invite only', () => {
  let th: TestHub;
  let authority: Authority;
  let admin: InviteAdmin;
  let authorityNc: NatsConnection;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    th = await startTestHub();
    const info = (await readHubInfo(th.hub.layout.info))!;
    await writeHubInfo(th.hub.layout.info, { ...info, signup: 'invite' });
    authority = await startAuthority({ hubDir: th.dir, logger: quiet, eventRetryDelaysMs: [] });
    admin = await openInviteAdmin(th.dir);
    authorityNc = await th.connectAs(HubAccounts.authority);
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await admin?.close();
    await authority?.stop();
    await th?.stop();
  });

  /** Accounts the authority recorded, and account JWTs the server's resolver holds. */
  async function accountCounts(): Promise<{ recorded: number; resolver: number }> {
    const kv = await authorityNc.jetstream().views.kv(ACCOUNTS_BUCKET);
    let recorded = 0;
    for await (const _ of await kv.keys()) recorded++;
    const resolver = (await readdir(th.hub.layout.resolver)).filter((f) => f.endsWith('.jwt')).length;
    return { recorded, resolver };
  }

  /** Both signup steps for a fresh account over one bootstrap connection; the final envelope. */
  async function attempt(boot: NatsConnection, invite?: string) {
    const account = newAccountKey();
    const { data } = await rawSignup(boot, { step: 'nonce', account: account.publicKey });
    const nonce = (data as { nonce: string }).nonce;
    return rawSignup(boot, { step: 'complete', account: account.publicKey, nonce, signature: sign(account.seed, nonce), ...(invite ? { invite } : {}) });
  }

  const join = (invite: string) => signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: newAccountKey().seed, invite });

  it('refuses 200 signups without a valid invite and creates no account, nor spends the signup rate', async () => {
    const before = await accountCounts();
    const boot = await connectBootstrap(th, connections);
    const { code } = await admin.mint({ uses: 1, expiresInMs: DAY });
    const otherHub = newOperatorKey().seed;
    const forged = signInviteCode({ i: '0123456789ab', e: Math.floor((Date.now() + DAY) / 1000), u: 1 }, otherHub);
    const [claims, signature] = code.split('.');
    const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), u: 100 })).toString('base64url');

    const refusals: Record<string, number> = {};
    for (let i = 0; i < 200; i++) {
      const invite = [undefined, forged, `${raised}.${signature}`, 'garbage'][i % 4];
      const reply = await attempt(boot, invite);
      const key = `${reply.code} ${reply.error?.replace(/\(.*\)|\s*;.*$|:.*$/g, '')}`;
      refusals[key] = (refusals[key] ?? 0) + 1;
    }
    console.log('refusals of 200 signups without a valid invite:', refusals);
    expect(refusals).toEqual({
      '403 this hub signs up by invite only': 50,
      '403 this invite was not signed by this hub': 100,
      '400 invalid signup request': 50,
    });
    expect(await accountCounts()).toEqual(before);
    // the hub's signup rate (20 at once) is untouched: the real invite still works
    expect((await join(code)).created).toBe(true);
    expect(await accountCounts()).toEqual({ recorded: before.recorded + 1, resolver: before.resolver + 1 });
  });

  it('refuses expired, used-up and revoked invites, saying what to do', async () => {
    const once = await admin.mint({ uses: 1, expiresInMs: DAY });
    await join(once.code);
    await expect(join(once.code)).rejects.toThrow(/this invite has already been used \(1 of 1\); ask the hub’s owner for a new one/);

    const revoked = await admin.mint({ uses: 5, expiresInMs: DAY });
    await admin.revoke(revoked.record.id);
    await expect(join(revoked.code)).rejects.toThrow(/this invite was revoked on \d{4}-\d\d-\d\d; ask the hub’s owner for a new one/);

    const brief = await admin.mint({ uses: 5, expiresInMs: 1000 });
    await new Promise((r) => setTimeout(r, 2100));
    await expect(join(brief.code)).rejects.toThrow(/this invite has expired on \d{4}-\d\d-\d\d; ask the hub’s owner for a new one/);

    const listed = await admin.list();
    expect(listed.find((r) => r.id === once.record.id)).toMatchObject({ uses: 1, used: 1 });
    expect(listed.find((r) => r.id === revoked.record.id)).toMatchObject({ used: 0, revoked_at: expect.any(String) });
  });

  it('a single-use invite used by 8 signups at once creates exactly one account', async () => {
    const before = await accountCounts();
    const { code, record } = await admin.mint({ uses: 1, expiresInMs: DAY });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => join(code)));
    const created = results.filter((r) => r.status === 'fulfilled');
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(created).toHaveLength(1);
    expect(refused).toHaveLength(7);
    for (const why of refused) expect(why).toMatch(/already been used \(1 of 1\)/);
    expect(await accountCounts()).toEqual({ recorded: before.recorded + 1, resolver: before.resolver + 1 });
    expect((await admin.list()).find((r) => r.id === record.id)).toMatchObject({ used: 1, accounts: [expect.stringMatching(/^A/)] });
  });

  it('an existing account signs up again (the repair path) without an invite', async () => {
    const { code } = await admin.mint({ uses: 1, expiresInMs: DAY });
    const seed = newAccountKey().seed;
    expect((await signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: seed, invite: code })).created).toBe(true);
    expect((await signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: seed })).created).toBe(false);
  });
});
