import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtcGenerateReply } from '@natster/protocol';
import { CODE_ALPHABET } from '../src/one-time-codes';
import { HEARTBEAT_PERIOD_MS, OTC_MAX_AGE_MS, collect, eventually, loggedEvents, shareEvent, startFixture, type Fixture } from './fixture';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(ms, 0)));

const sealed = 'opaque-sealed-payload';
const context = { name: 'default', display_name: 'Carol' };

describe('one-time codes', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => f?.stop());

  it('a code is claimed once by the portal, which gets the bound payload; the account shows as portal-bound', async () => {
    const carol = await f.user('carol');
    const feed = collect(carol.client.watchEvents(['context_bound']));
    await carol.nc.flush();
    const otc = await carol.client.otcGenerate({ context, sealed });
    expect(otc.code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{10}$`));
    expect(otc.claim_url).toBe(`${f.th.hub.info.portal_url.replace(/\/+$/, '')}/login/${otc.code}`);
    expect(otc.valid_minutes).toBe(OTC_MAX_AGE_MS / 60_000);

    const claimed = await f.portal.otcClaim(otc.code.toLowerCase());
    expect(claimed).toMatchObject({ account: carol.user.account, context, sealed });
    await expect(f.portal.otcClaim(otc.code)).rejects.toMatchObject({ code: 404, message: expect.stringMatching(/natster login/) });

    await eventually(async () => feed.length, (n) => n === 1);
    expect(feed[0]?.data.origin).toBe(carol.user.account);
    const me = await eventually(() => carol.client.whoami(), (w) => w.portal_bound);
    expect(me.portal_bound_at).not.toBeNull();
  });

  it('codes differ; a fresh code is claimable and an unclaimed code is refused once its max age has passed', async () => {
    const dave = await f.user('dave');
    const codes = await Promise.all(Array.from({ length: 20 }, () => dave.client.otcGenerate({ context, sealed })));
    // the service stored every code before answering, so none was created after this
    const allGeneratedAt = Date.now();
    expect(new Set(codes.map((c) => c.code)).size).toBe(20);
    const [fresh, late] = codes as [OtcGenerateReply, OtcGenerateReply];
    await expect(f.portal.otcClaim(fresh.code)).resolves.toMatchObject({ account: dave.user.account });
    // past the max age of every code (no margin needed: the bound is causal), then it is refused
    await sleep(allGeneratedAt + OTC_MAX_AGE_MS + 1 - Date.now());
    await expect(f.portal.otcClaim(late.code)).rejects.toMatchObject({ code: 404 });
  });

  it('refuses payloads over the size limit with 400', async () => {
    const erin = await f.user('erin');
    await expect(erin.client.otcGenerate({ context, sealed: 'x'.repeat(25 * 1024) })).rejects.toMatchObject({ code: 400 });
  });
});

describe('heartbeats', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => f?.stop());

  it('the first heartbeat announces the catalog online to owner and recipients; silence announces it offline', async () => {
    const owner = await f.user('hb-owner');
    const friend = await f.user('hb-friend');
    await owner.client.putEvent(shareEvent('catalog_shared', owner.user.account, friend.user.account, 'films'));
    const ownerFeed = collect(owner.client.watchEvents(['catalog_online', 'catalog_offline']));
    const friendFeed = collect(friend.client.watchEvents(['catalog_online', 'catalog_offline']));
    await Promise.all([owner.nc.flush(), friend.nc.flush()]);

    expect(await owner.client.heartbeat({ catalog: 'films', revision: 3 })).toEqual({ came_online: true, period_ms: HEARTBEAT_PERIOD_MS });
    expect((await owner.client.heartbeat({ catalog: 'films', revision: 4 })).came_online).toBe(false);
    expect(await friend.client.myShares()).toEqual([expect.objectContaining({ catalog: 'films', online: true, revision: 4 })]);
    expect((await owner.client.stats()).catalogs_online).toBe(1);
    await eventually(async () => friendFeed.length, (n) => n >= 1);
    expect(friendFeed[0]).toMatchObject({ type: 'catalog_online', data: { origin: owner.user.account, catalog: 'films' } });

    // stop heartbeating: offline after 3 periods (plus up to one sweep period)
    await eventually(async () => ownerFeed.map((e) => e.type), (t) => t.includes('catalog_offline'));
    await eventually(async () => friendFeed.map((e) => e.type), (t) => t.join() === 'catalog_online,catalog_offline');
    expect(ownerFeed.map((e) => e.type)).toEqual(['catalog_online', 'catalog_offline']);
    expect(await friend.client.myShares()).toEqual([expect.objectContaining({ catalog: 'films', online: false })]);
    expect((await owner.client.stats()).catalogs_online).toBe(0);

    // and back online
    expect((await owner.client.heartbeat({ catalog: 'films', revision: 5 })).came_online).toBe(true);
  });
});

describe('a catalog that keeps heartbeating', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => f?.stop());

  it('stays online for longer than the offline window, and goes offline once its beats stop', async () => {
    const owner = await f.user('steady');
    const friend = await f.user('steady-friend');
    await owner.client.putEvent(shareEvent('catalog_shared', owner.user.account, friend.user.account, 'steady'));
    const feed = collect(owner.client.watchEvents(['catalog_offline']));
    await owner.nc.flush();
    const online = async () => ({
      stats: (await owner.client.stats()).catalogs_online,
      shared: (await friend.client.myShares()).map((s) => s.online),
    });

    // a beat every quarter period (the catalog server beats every half), for five periods:
    // longer than the three-period window a silent catalog gets
    const beatsUntil = Date.now() + 5 * HEARTBEAT_PERIOD_MS;
    expect((await owner.client.heartbeat({ catalog: 'steady', revision: 0 })).came_online).toBe(true);
    for (let revision = 1; Date.now() < beatsUntil; revision++) {
      await sleep(HEARTBEAT_PERIOD_MS / 4);
      // had the catalog gone offline between two beats, this one would bring it back
      expect((await owner.client.heartbeat({ catalog: 'steady', revision })).came_online).toBe(false);
      expect(await online()).toEqual({ stats: 1, shared: [true] });
    }
    expect(feed).toEqual([]);

    // positive control: the same catalog, silent, is announced offline
    await eventually(async () => feed.length, (n) => n >= 1);
    expect(feed[0]).toMatchObject({ type: 'catalog_offline', data: { origin: owner.user.account, catalog: 'steady' } });
    expect(await online()).toEqual({ stats: 0, shared: [false] });
  });
});

describe('two global instances at once', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ instances: 2 });
  });
  afterAll(async () => f?.stop());

  it('a catalog that falls silent yields exactly one catalog_offline in the log', async () => {
    const owner = await f.user('twice');
    const feed = collect(owner.client.watchEvents(['catalog_offline']));
    await owner.nc.flush();
    // several catalogs, so both instances' sweeps find silent catalogs at the same time
    const catalogs = Array.from({ length: 30 }, (_, i) => `c${i}`);
    await Promise.all(catalogs.map((catalog) => owner.client.heartbeat({ catalog, revision: 1 })));
    await eventually(async () => feed.length, (n) => n >= catalogs.length);
    // a full period more (ten sweeps of each instance) for any second announcement to show up
    await sleep(HEARTBEAT_PERIOD_MS);
    const offline = (await loggedEvents(f)).filter((e) => e.type === 'catalog_offline' && e.data.origin === owner.user.account);
    expect(offline.map((e) => e.data.catalog).sort()).toEqual([...catalogs].sort());
    expect(feed).toHaveLength(catalogs.length);
  });
});
