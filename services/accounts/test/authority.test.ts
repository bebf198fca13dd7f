import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { decodeJwt, newAccountKey, type Account } from '@natster/claims';
import { AccountsClient, GlobalClient, signup } from '@natster/client';
import { createLogger, type NatsConnection } from '@natster/nats';
import { subjects, type Envelope, type NatsterEvent } from '@natster/protocol';
import { startTestHub, type TestHub } from '@natster/testing';
import { eventually, loggedEvents, startFixture, type Fixture } from '../../global/test/fixture';
import { startAuthority, type Authority } from '../src';
import { SETTLES, bootstrapCreds, connectBootstrap, rawRequest, rawSignup, sign, signUpUser } from './helpers';

const quiet = createLogger('accounts', { write: () => {} });
const enc = new TextEncoder();

/** What the real global service logged for a signup: the account's natster_initialized and catalog_imported events. */
const signupEvents = async (global: Fixture, account: string): Promise<NatsterEvent[]> =>
  (await loggedEvents(global)).filter((e) => e.data.origin === account && (e.type === 'natster_initialized' || e.type === 'catalog_imported'));

describe('account authority', () => {
  let th: TestHub;
  let authority: Authority;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    th = await startTestHub();
    authority = await startAuthority({ hubDir: th.dir, logger: quiet, eventRetryDelaysMs: [] });
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await authority?.stop();
    await th?.stop();
  });

  it('signs up an account with the standard imports; a repeated signup is idempotent', async () => {
    const alice = await signUpUser(th, 'alice', connections);
    expect(alice.reply.created).toBe(true);
    const claims = decodeJwt<Account>(alice.reply.jwt);
    expect(claims.sub).toBe(alice.account);
    expect(claims.iss).not.toBe(th.hub.info.operator); // signed with the signing key, not the operator identity key
    const me = await new AccountsClient(alice.nc).get();
    expect(me.account).toBe(alice.account);
    expect(me.imports).toEqual([{ catalog: 'hub', owner: th.hub.info.accounts.HUB, alias: 'hub' }]);
    expect(me.damaged).toEqual([]);

    const again = await signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: alice.accountSeed, name: 'alice' });
    expect(again).toEqual({ account: alice.account, jwt: alice.reply.jwt, created: false, repaired: [] });
  });

  it('records natster_initialized, then the demo catalog import, with the global service for a new account', async () => {
    const global = await startFixture({ hub: th });
    onTestFinished(() => global.stop());
    const carol = await signUpUser(th, 'carol', connections);
    const events = await eventually(() => signupEvents(global, carol.account), (e) => e.length >= 2);
    // the real service takes natster_initialized only from the authority, on behalf of the new account
    expect(events).toEqual([
      expect.objectContaining({ type: 'natster_initialized', data: expect.objectContaining({ origin: carol.account, details: { name: 'carol' } }) }),
      expect.objectContaining({ type: 'catalog_imported', data: expect.objectContaining({ origin: carol.account, target: th.hub.info.accounts.HUB, catalog: 'hub' }) }),
    ]);
    const client = new GlobalClient(carol.nc);
    expect(await client.whoami()).toMatchObject({ account: carol.account, initialized: true, display_name: 'carol' });
    expect(await eventually(() => client.myShares(), (s) => s.length > 0)).toEqual([
      expect.objectContaining({ owner: th.hub.info.accounts.HUB, target: carol.account, catalog: 'hub', imported: true }),
    ]);
  });

  it('refuses a signup without proof of the seed', async () => {
    const boot = await connectBootstrap(th, connections);
    const victim = newAccountKey();
    const { data } = (await rawSignup(boot, { step: 'nonce', account: victim.publicKey })) as Envelope<{ nonce: string }>;
    const nonce = data!.nonce;
    const impostor = newAccountKey();

    const badSignature = await rawSignup(boot, { step: 'complete', account: victim.publicKey, nonce, signature: sign(impostor.seed, nonce) });
    expect(badSignature).toMatchObject({ code: 403, error: expect.stringMatching(/signature does not prove possession/) });

    const [issued, random] = nonce.split('.');
    const forged = `${issued}.${random}.${Buffer.alloc(32, 7).toString('base64url')}`;
    const forgedReply = await rawSignup(boot, { step: 'complete', account: victim.publicKey, nonce: forged, signature: sign(victim.seed, forged) });
    expect(forgedReply).toMatchObject({ code: 403, error: expect.stringMatching(/not issued for this account/) });

    const stale = `${Date.now() - 120_000}.${random}.${nonce.split('.')[2]}`;
    const staleReply = await rawSignup(boot, { step: 'complete', account: victim.publicKey, nonce: stale, signature: sign(victim.seed, stale) });
    expect(staleReply.code).toBe(403);

    // a nonce issued for someone else's account does not work for mine
    const otherNonce = await rawSignup(boot, { step: 'complete', account: impostor.publicKey, nonce, signature: sign(impostor.seed, nonce) });
    expect(otherNonce).toMatchObject({ code: 403, error: expect.stringMatching(/not issued for this account/) });

    const malformed = await rawSignup(boot, enc.encode('{not json'));
    expect(malformed).toMatchObject({ code: 400, error: expect.stringMatching(/not JSON/) });
    const wrongStep = await rawSignup(boot, { step: 'give-me-everything' });
    expect(wrongStep.code).toBe(400);

    // still serving, and the victim was never created
    const victimSignup = await signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: victim.seed });
    expect(victimSignup.created).toBe(true);
  });

  it('import and unimport change what the caller can reach', async () => {
    const owner = await signUpUser(th, 'owner', connections);
    const friend = await signUpUser(th, 'friend', connections);
    owner.nc.subscribe('*.natster.catalog.films.get', { callback: (_e, m) => m.respond(enc.encode(m.subject.split('.')[0])) });
    await owner.nc.flush();
    await expect(friend.nc.request(subjects.catalog('films', 'get'), enc.encode('{}'), { timeout: 1000 })).rejects.toThrow(/503|no responders/i);

    const client = new AccountsClient(friend.nc);
    const imported = await client.importCatalog('films', owner.account);
    expect(imported.imports).toContainEqual({ catalog: 'films', owner: owner.account, alias: 'films' });
    await expect.poll(async () => {
      const reply = await friend.nc.request(subjects.catalog('films', 'get'), enc.encode('{}'), { timeout: 1000 }).catch(() => null);
      return reply ? new TextDecoder().decode(reply.data) : null;
    }, SETTLES).toBe(friend.account);
    expect((await client.get()).imports).toContainEqual({ catalog: 'films', owner: owner.account, alias: 'films' });

    const removed = await client.unimportCatalog('films', owner.account);
    expect(removed.imports).not.toContainEqual({ catalog: 'films', owner: owner.account, alias: 'films' });
    expect(removed.imports).toContainEqual({ catalog: 'hub', owner: th.hub.info.accounts.HUB, alias: 'hub' });
    await expect.poll(async () =>
      friend.nc.request(subjects.catalog('films', 'get'), enc.encode('{}'), { timeout: 1000 }).then(() => 'reachable', (e: Error) => e.message),
      SETTLES,
    ).toMatch(/503|no responders/i);

    // a repeated signup keeps what the account imports
    await client.importCatalog('films', owner.account);
    const again = await signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: friend.accountSeed });
    expect(decodeJwt<Account>(again.jwt).nats.imports?.map((i) => i.local_subject)).toContain('natster.catalog.films.>');
  });

  it('concurrent imports on one account all survive', async () => {
    const owner = await signUpUser(th, 'busy-owner', connections);
    const reader = await signUpUser(th, 'busy-reader', connections);
    const client = new AccountsClient(reader.nc);
    const names = ['a1', 'a2', 'a3', 'a4'];
    await Promise.all(names.map((c) => client.importCatalog(c, owner.account)));
    const { imports } = await client.get();
    for (const catalog of names) expect(imports).toContainEqual({ catalog, owner: owner.account, alias: catalog });
  });

  it('adopts a user account this operator signed before the authority recorded it', async () => {
    const legacy = await th.createUser('legacy');
    const owner = await signUpUser(th, 'legacy-owner', connections);
    const client = new AccountsClient(await legacy.connect());
    expect((await client.get()).imports).toEqual([{ catalog: 'hub', owner: th.hub.info.accounts.HUB, alias: 'hub' }]);
    expect((await client.importCatalog('old', owner.account)).imports).toContainEqual({ catalog: 'old', owner: owner.account, alias: 'old' });
  });

  it('refuses edits that are not the caller’s own Natster catalog imports, and keeps serving', async () => {
    const mallory = await signUpUser(th, 'mallory', connections);
    const bob = await signUpUser(th, 'bob', connections);
    const dave = await signUpUser(th, 'dave', connections);
    const client = new AccountsClient(mallory.nc);
    const importSubject = subjects.accounts('catalogs.import');
    const refusal = async (body: unknown) => rawRequest(mallory.nc, importSubject, body);

    expect(await refusal({ account: bob.account, catalog: 'x', owner: dave.account })).toMatchObject({ code: 403, error: expect.stringMatching(/only change its own/) });
    expect(await refusal({ catalog: 'x', owner: dave.account, subject: '$SYS.>' })).toMatchObject({ code: 400 });
    expect(await refusal({ catalog: 'x.>', owner: dave.account })).toMatchObject({ code: 400, error: expect.stringMatching(/catalog/) });
    expect(await refusal({ catalog: 'x', owner: 'not-a-key' })).toMatchObject({ code: 400 });
    expect(await rawRequest(mallory.nc, importSubject, enc.encode('[1,2'))).toMatchObject({ code: 400, error: expect.stringMatching(/not JSON/) });
    expect(await rawRequest(mallory.nc, importSubject, new Uint8Array(70 * 1024).fill(32))).toMatchObject({ code: 413 });
    expect(await rawRequest(mallory.nc, subjects.accounts('get') + '.extra', {})).toMatchObject({ code: 404 });

    await expect(client.importCatalog('mine', mallory.account)).rejects.toMatchObject({ code: 409 });
    await expect(client.unimportCatalog('x', dave.account)).rejects.toMatchObject({ code: 404 });
    await expect(client.importCatalog('x', newAccountKey().publicKey)).rejects.toMatchObject({ code: 404 });
    await expect(client.importCatalog('global', dave.account)).rejects.toMatchObject({ code: 400, message: expect.stringMatching(/reserves/) });
    await client.importCatalog('x', dave.account);

    // a request without a caller token (same-account, not through the import)
    const authorityNc = await th.connectAs('AUTHORITY');
    const noCaller = await rawRequest(authorityNc, `SOMEONE.natster.accounts.get`, {});
    expect(noCaller).toMatchObject({ code: 403 });

    // the hub's own accounts are not edited through the authority
    const portal = await th.connectAs('PORTAL');
    await expect(new AccountsClient(portal).get()).rejects.toMatchObject({ code: 403 });

    // still serving
    expect((await client.get()).imports).toContainEqual({ catalog: 'x', owner: dave.account, alias: 'x' });
  });
});

describe('the authority while the global service is down', () => {
  let th: TestHub;
  let authority: Authority;
  let global: Fixture;
  const connections: NatsConnection[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    th = await startTestHub();
    global = await startFixture({ hub: th, instances: 0 });
    // retries for 20 s and more: the test starts the global service once a retry shows up
    const logger = createLogger('accounts', { level: 'warn', write: (line) => logged.push(line) });
    authority = await startAuthority({ hubDir: th.dir, logger, eventRetryDelaysMs: Array.from({ length: 80 }, () => 250) });
  });
  afterAll(async () => {
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await authority?.stop();
    await global?.stop();
    await th?.stop();
  });

  it('completes a signup, and its natster_initialized lands exactly once when the global service comes back', async () => {
    const dora = await signUpUser(th, 'dora', connections);
    expect(dora.reply.created).toBe(true);
    const retrying = (line: string) => line.includes('could not record natster_initialized; retrying') && line.includes(dora.account);
    await eventually(async () => logged.filter(retrying).length, (n) => n >= 1);

    await global.startInstance();
    // the demo import is put only after natster_initialized was answered: once it is in the log, the authority is done
    const events = await eventually(() => signupEvents(global, dora.account), (e) => e.some((x) => x.type === 'catalog_imported'));
    expect(events.map((e) => e.type)).toEqual(['natster_initialized', 'catalog_imported']);
    expect(await new GlobalClient(dora.nc).whoami()).toMatchObject({ initialized: true, display_name: 'dora' });
  });
});
