import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, newAccountKey, type Account } from '@natster/claims';
import { readHubInfo, writeHubInfo, type HubInfo } from '@natster/hub';
import { createLogger, type NatsConnection } from '@natster/nats';
import { startTestHub, connectVerdict, type ConnectVerdict, type TestHub } from '@natster/testing';
import { startAuthority, type Authority } from '../src';
import { ACCOUNTS_BUCKET } from '../src/store';
import { SETTLES, connectBootstrap, rawSignup, sign, signUpUser } from './helpers';

const quiet = createLogger('accounts', { write: () => {} });
const dec = new TextDecoder();

/** A hub whose hub.json the operator edited before the authority started. */
async function hubWith(settings: Partial<HubInfo>): Promise<{ th: TestHub; authority: Authority }> {
  const th = await startTestHub();
  const info = (await readHubInfo(th.hub.layout.info))!;
  await writeHubInfo(th.hub.layout.info, { ...info, ...settings });
  const authority = await startAuthority({ hubDir: th.dir, logger: quiet, eventRetryDelaysMs: [] });
  return { th, authority };
}

/** Both signup steps over one bootstrap connection, as a scripted client would; the final envelope. */
async function signupOver(boot: NatsConnection) {
  const account = newAccountKey();
  const { data } = await rawSignup(boot, { step: 'nonce', account: account.publicKey });
  const nonce = (data as { nonce: string }).nonce;
  return rawSignup(boot, { step: 'complete', account: account.publicKey, nonce, signature: sign(account.seed, nonce) });
}

describe('signup privacy and account limits', () => {
  let th: TestHub;
  let authority: Authority;
  const connections: NatsConnection[] = [];
  const sockets: ConnectVerdict[] = [];

  beforeAll(async () => {
    ({ th, authority } = await hubWith({
      account_limits: { bootstrap: { conn: 10, subs: 8 }, user: { conn: 2, subs: 100 }, service: { conn: 1000, subs: 100_000 } },
    }));
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await authority?.stop();
    await th?.stop();
  });

  it('another holder of the public signup creds learns nothing from a signup, whatever it subscribes to', async () => {
    const sniffer = await connectBootstrap(th, connections);
    const seen: Uint8Array[] = [];
    for (const subject of ['_INBOX.>', '>', 'natster.>']) {
      sniffer.subscribe(subject, { callback: (err, msg) => !err && seen.push(msg.data) });
    }
    await sniffer.flush();

    const secretName = 'Victoria Q. Private';
    const victim = await signUpUser(th, secretName, connections);
    expect(victim.reply.created).toBe(true);

    // the sniffer does see the replies go by (so this test can fail), but sealed
    await expect.poll(() => seen.length, SETTLES).toBeGreaterThanOrEqual(2);
    const wire = seen.map((d) => dec.decode(d)).join('\n');
    expect(wire).not.toContain(victim.account);
    expect(wire).not.toContain(secretName);
    expect(wire).not.toContain(victim.reply.jwt.slice(0, 40));
    expect(wire).not.toContain('"nonce"');
  });

  it('puts no display name in the account JWT or the authority’s records', async () => {
    const secretName = 'Walter Unlisted';
    const user = await signUpUser(th, secretName, connections);
    expect(decodeJwt<Account>(user.reply.jwt).name).not.toContain('Walter');

    const auth = await th.connectAs('AUTHORITY');
    const kv = await auth.jetstream().views.kv(ACCOUNTS_BUCKET);
    const entry = await kv.get(user.account);
    expect(entry).not.toBeNull();
    expect(dec.decode(entry!.value)).not.toContain(secretName);
  });

  it('signs new accounts with the hub’s user limits: the (N+1)th connection is refused', async () => {
    const user = await signUpUser(th, 'limited', connections); // connection 1 of 2
    expect(decodeJwt<Account>(user.reply.jwt).nats.limits).toMatchObject({ conn: 2, subs: 100 });
    const creds = await readFile(`${th.dir}/users/limited.creds`, 'utf8');
    const second = await connectVerdict(th.url, creds);
    sockets.push(second);
    expect(second.verdict).toBe('accepted');
    const third = await connectVerdict(th.url, creds);
    sockets.push(third);
    expect(third.verdict).toBe('maximum account active connections exceeded');
  });
});

describe('signup rate', () => {
  let th: TestHub;
  let authority: Authority;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    ({ th, authority } = await hubWith({ signup_rate: { per_connection: { burst: 2, per_minute: 1 }, global: { burst: 4, per_minute: 1 } } }));
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await authority?.stop();
    await th?.stop();
  });

  it('bounds signups per connection and across the hub, and says when to retry', async () => {
    const first = await connectBootstrap(th, connections);
    expect((await signupOver(first)).code).toBe(200);
    expect((await signupOver(first)).code).toBe(200);
    const third = await signupOver(first);
    expect(third).toMatchObject({ code: 429, error: expect.stringMatching(/too many signups from this connection: retry after \d+ s/) });

    // a second connection has its own allowance, until the hub's is spent
    const second = await connectBootstrap(th, connections);
    expect((await signupOver(second)).code).toBe(200);
    expect((await signupOver(second)).code).toBe(200);
    const fresh = await connectBootstrap(th, connections);
    const refused = await signupOver(fresh);
    expect(refused).toMatchObject({ code: 429, error: expect.stringMatching(/hub is taking too many signups right now: retry after \d+ s/) });
    expect(Number(/(\d+) s/.exec(refused.error!)![1])).toBeLessThanOrEqual(60);

    // refused requests cost nothing: a bad proof is still a 403, and the service keeps answering
    const nobody = newAccountKey();
    const { data } = await rawSignup(fresh, { step: 'nonce', account: nobody.publicKey });
    const nonce = (data as { nonce: string }).nonce;
    const forged = await rawSignup(fresh, { step: 'complete', account: nobody.publicKey, nonce, signature: sign(newAccountKey().seed, nonce) });
    expect(forged.code).toBe(403);
  });
});
