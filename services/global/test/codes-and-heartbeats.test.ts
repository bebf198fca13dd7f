import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_ALPHABET } from '../src/one-time-codes';
import { HEARTBEAT_PERIOD_MS, OTC_MAX_AGE_MS, collect, eventually, shareEvent, startFixture, type Fixture } from './fixture';

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

  it('codes differ and an unclaimed code expires after the configured max age', async () => {
    const dave = await f.user('dave');
    const codes = await Promise.all(Array.from({ length: 20 }, () => dave.client.otcGenerate({ context, sealed })));
    expect(new Set(codes.map((c) => c.code)).size).toBe(20);
    const late = codes[0]!;
    await new Promise((r) => setTimeout(r, OTC_MAX_AGE_MS + 200));
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
    await eventually(async () => friendFeed.length, (n) => n >= 1);
    expect(friendFeed[0]).toMatchObject({ type: 'catalog_online', data: { origin: owner.user.account, catalog: 'films' } });
    expect(await friend.client.myShares()).toEqual([expect.objectContaining({ catalog: 'films', online: true, revision: 4 })]);
    expect((await owner.client.stats()).catalogs_online).toBe(1);

    // stop heartbeating: offline after 3 periods (plus up to one sweep period)
    await eventually(async () => ownerFeed.map((e) => e.type), (t) => t.includes('catalog_offline'), 5000);
    await eventually(async () => friendFeed.map((e) => e.type), (t) => t.join() === 'catalog_online,catalog_offline');
    expect(ownerFeed.map((e) => e.type)).toEqual(['catalog_online', 'catalog_offline']);
    expect(await friend.client.myShares()).toEqual([expect.objectContaining({ catalog: 'films', online: false })]);
    expect((await owner.client.stats()).catalogs_online).toBe(0);

    // and back online
    expect((await owner.client.heartbeat({ catalog: 'films', revision: 5 })).came_online).toBe(true);
  });

  it('a catalog that keeps heartbeating stays online', async () => {
    const owner = await f.user('steady');
    const feed = collect(owner.client.watchEvents(['catalog_offline']));
    await owner.nc.flush();
    // a beat every half period (the catalog server's side of the contract), for 8 periods
    for (let i = 0; i < 16; i++) {
      await owner.client.heartbeat({ catalog: 'steady', revision: i });
      await new Promise((r) => setTimeout(r, HEARTBEAT_PERIOD_MS / 2));
    }
    expect(feed).toEqual([]);
  });
});
