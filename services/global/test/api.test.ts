import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from '@natster/nats';
import { MAX_REQUEST_BYTES, newEvent, subjects, type Envelope } from '@natster/protocol';
import { waitForProjections } from '../src/index';
import { collect, eventually, initialized, shareEvent, startFixture, type Fixture } from './fixture';

describe('global service API', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => f?.stop());

  it('the authority initializes an account; whoami shows when and the display name', async () => {
    const alice = await f.user('alice');
    expect(await alice.client.whoami()).toMatchObject({ account: alice.user.account, initialized: false, portal_bound: false });
    const reply = await f.authority.putEvent(initialized(alice.user.account, 'Alice Liddell'));
    expect(reply.duplicate).toBe(false);
    const me = await eventually(() => alice.client.whoami(), (w) => w.initialized);
    expect(me.display_name).toBe('Alice Liddell');
    expect(Date.parse(me.initialized_at ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('refuses natster_initialized from anyone but the authority, and a forged origin', async () => {
    const mallory = await f.user('mallory');
    const victim = await f.user('victim');
    await expect(mallory.client.putEvent(initialized(mallory.user.account))).rejects.toMatchObject({ code: 403 });
    // mallory claims victim shared a catalog with her
    await expect(mallory.client.putEvent(shareEvent('catalog_shared', victim.user.account, mallory.user.account, 'films'))).rejects.toMatchObject({
      code: 403,
      message: expect.stringMatching(/origin is itself/),
    });
    await expect(mallory.client.putEvent(newEvent('catalog_online', mallory.user.account, { catalog: 'films' }))).rejects.toMatchObject({ code: 403 });
    await expect(mallory.client.putEvent(newEvent('catalog_shared', mallory.user.account, { catalog: 'films' }))).rejects.toMatchObject({
      code: 400,
      message: expect.stringMatching(/needs data.target/),
    });
    await waitForProjections(f.globalNc);
    expect(await mallory.client.myShares()).toEqual([]);
  });

  it('the authority records the demo import of an account it signed; the demo catalog then shows in its shares', async () => {
    const newcomer = await f.user('newcomer');
    const hub = await f.user('hub-owner');
    await f.authority.putEvent(shareEvent('catalog_imported', newcomer.user.account, hub.user.account, 'hub'));
    await expect(f.authority.putEvent(shareEvent('catalog_shared', newcomer.user.account, hub.user.account, 'films'))).rejects.toMatchObject({ code: 403 });
    await expect(hub.client.putEvent(shareEvent('catalog_imported', newcomer.user.account, hub.user.account, 'films'))).rejects.toMatchObject({ code: 403 });
    await waitForProjections(f.globalNc);
    expect(await newcomer.client.myShares()).toEqual([
      expect.objectContaining({ owner: hub.user.account, target: newcomer.user.account, catalog: 'hub', shared: false, imported: true }),
    ]);
  });

  it('a repeated event id is appended once', async () => {
    const owner = await f.user('dup-owner');
    const friend = await f.user('dup-friend');
    const event = shareEvent('catalog_shared', owner.user.account, friend.user.account, 'music');
    const first = await owner.client.putEvent(event);
    const again = await owner.client.putEvent(event);
    expect(again).toEqual({ seq: first.seq, duplicate: true });
  });

  it('my.shares lists a share from both sides, with import status; stats count it', async () => {
    const owner = await f.user('owner');
    const friend = await f.user('friend');
    const before = await owner.client.stats();
    await owner.client.putEvent(shareEvent('catalog_shared', owner.user.account, friend.user.account, 'photos'));
    await friend.client.putEvent(shareEvent('catalog_imported', friend.user.account, owner.user.account, 'photos'));
    await waitForProjections(f.globalNc);
    const mine = await owner.client.myShares();
    const theirs = await friend.client.myShares();
    expect(mine).toEqual(theirs);
    expect(mine).toEqual([
      expect.objectContaining({ owner: owner.user.account, target: friend.user.account, catalog: 'photos', shared: true, imported: true, online: false, revision: null }),
    ]);
    const after = await owner.client.stats();
    expect(after.shares_active).toBe(before.shares_active + 1);
    expect(after.imports).toBe(before.imports + 1);
    expect(after.events_total).toBe(before.events_total + 2);

    await owner.client.putEvent(shareEvent('catalog_unshared', owner.user.account, friend.user.account, 'photos'));
    await waitForProjections(f.globalNc);
    expect((await owner.client.stats()).shares_active).toBe(before.shares_active);
    expect(await friend.client.myShares()).toEqual([expect.objectContaining({ shared: false, shared_at: null, imported: true })]);
  });

  it('share events reach both sides on the live feed', async () => {
    const owner = await f.user('feed-owner');
    const friend = await f.user('feed-friend');
    const stranger = await f.user('feed-stranger');
    const ownerFeed = collect(owner.client.watchEvents());
    const friendFeed = collect(friend.client.watchEvents(['catalog_shared']));
    const strangerFeed = collect(stranger.client.watchEvents());
    await Promise.all([owner.nc.flush(), friend.nc.flush(), stranger.nc.flush()]);
    const event = shareEvent('catalog_shared', owner.user.account, friend.user.account, 'books');
    await owner.client.putEvent(event);
    await eventually(async () => friendFeed.length + ownerFeed.length, (n) => n === 2);
    expect(friendFeed[0]).toEqual(event);
    expect(ownerFeed[0]).toEqual(event);
    await waitForProjections(f.globalNc);
    expect(strangerFeed).toEqual([]);
  });

  it('validates catalog names: 400 when malformed, 409 when already shared', async () => {
    const owner = await f.user('namer');
    const friend = await f.user('namer-friend');
    expect(await owner.client.validateCatalogName('new-one_2')).toEqual({ name: 'new-one_2', valid: true });
    await expect(owner.client.validateCatalogName('Bad Name')).rejects.toMatchObject({ code: 400, message: expect.stringMatching(/a-z, 0-9/) });
    await expect(owner.client.validateCatalogName('x'.repeat(33))).rejects.toMatchObject({ code: 400 });
    await owner.client.putEvent(shareEvent('catalog_shared', owner.user.account, friend.user.account, 'taken'));
    await waitForProjections(f.globalNc);
    await expect(owner.client.validateCatalogName('taken')).rejects.toMatchObject({ code: 409 });
    // the name is only taken for its owner
    expect(await friend.client.validateCatalogName('taken')).toEqual({ name: 'taken', valid: true });
  });

  it('portal-only operations refuse everyone else with 403', async () => {
    const someone = await f.user('someone');
    await expect(someone.client.contextGet(someone.user.account)).rejects.toMatchObject({ code: 403 });
    await expect(someone.client.otcClaim('ABCDEFGHJK')).rejects.toMatchObject({ code: 403 });
    await expect(f.authority.contextGet(someone.user.account)).rejects.toMatchObject({ code: 403 });
    await expect(f.portal.contextGet(someone.user.account)).rejects.toMatchObject({ code: 404 });
    await f.authority.putEvent(initialized(someone.user.account, 'Some One'));
    const view = await eventually(() => f.portal.contextGet(someone.user.account).catch(() => null), (v) => v !== null);
    expect(view).toMatchObject({ account: someone.user.account, initialized: true, display_name: 'Some One' });
  });

  it('requests whose first token is not an account key are refused', async () => {
    const reply = await f.globalNc.request(`local.${subjects.global('stats')}`, encodeJson({}), { timeout: 3000 });
    expect(decodeJson(reply.data)).toMatchObject({ code: 403, error: expect.stringMatching(/natster_global import/) });
  });

  it('unknown operations get 404, malformed bodies 400, oversized 413, and the service keeps serving', async () => {
    const u = await f.user('prober');
    const raw = async (subject: string, body: Uint8Array) => decodeJson((await u.nc.request(subject, body, { timeout: 3000 })).data) as Envelope;
    expect((await raw('natster.global.nope', encodeJson({}))).code).toBe(404);
    expect((await raw('natster.global.events.put.extra', encodeJson({}))).code).toBe(404);
    expect((await raw(subjects.global('heartbeats.put'), new TextEncoder().encode('{not json')))).toMatchObject({ code: 400 });
    expect((await raw(subjects.global('heartbeats.put'), encodeJson({ catalog: 'ok', revision: -1 })))).toMatchObject({ code: 400 });
    expect((await raw(subjects.global('events.put'), encodeJson({ specversion: '1.0' })))).toMatchObject({ code: 400 });
    expect((await raw(subjects.global('stats'), encodeJson({ extra: true })))).toMatchObject({ code: 400 });
    expect((await raw(subjects.global('otc.generate'), new Uint8Array(MAX_REQUEST_BYTES + 1)))).toMatchObject({ code: 413 });
    expect(await u.client.stats()).toMatchObject({ events_total: expect.any(Number) });
  });
});
