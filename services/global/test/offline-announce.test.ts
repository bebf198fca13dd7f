import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '@natster/nats';
import { GlobalOps, HeartbeatOfflineReply, subjects, type NatsterEvent } from '@natster/protocol';
import { collect, eventually, startFixture, type Fixture } from './fixture';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const offlineOf = (feed: NatsterEvent[], catalog: string) => feed.find((e) => e.type === 'catalog_offline' && e.data.catalog === catalog);

describe('heartbeats.offline: a cleanly stopped catalog goes offline at once', () => {
  let f: Fixture;
  beforeAll(async () => {
    // a long period, so only the announce (never the sweep) can take the catalog offline here
    f = await startFixture({ overrides: { heartbeatPeriodMs: 20_000 } });
  });
  afterAll(async () => f?.stop());

  it('writes catalog_offline long before the sweep could; repeating it changes nothing; the next heartbeat brings the catalog back', async () => {
    const owner = await f.user('stop-owner');
    const feed = collect(owner.client.watchEvents(['catalog_online', 'catalog_offline']));
    await owner.nc.flush();
    expect((await owner.client.heartbeat({ catalog: 'films', revision: 2 })).came_online).toBe(true);

    const asked = Date.now();
    expect(await owner.client.heartbeatOffline({ catalog: 'films' })).toEqual({ went_offline: true });
    // a merely silent catalog waits three 20 s periods: within the bound, only the announce takes it offline
    await eventually(async () => offlineOf(feed, 'films'), Boolean);
    process.stdout.write(`clean stop → catalog_offline on the owner's feed in ${Date.now() - asked} ms\n`);
    expect(offlineOf(feed, 'films')?.data.details).toEqual({ revision: 2 });

    expect(await owner.client.heartbeatOffline({ catalog: 'films' })).toEqual({ went_offline: false });
    expect((await owner.client.heartbeat({ catalog: 'films', revision: 3 })).came_online).toBe(true);
    await eventually(async () => feed.map((e) => e.type).join(), (t) => t === 'catalog_online,catalog_offline,catalog_online');
  });

  it("another account cannot take someone's catalog offline: its request only names its own", async () => {
    const owner = await f.user('victim');
    const mallory = await f.user('mallory');
    const feed = collect(owner.client.watchEvents(['catalog_offline']));
    await owner.nc.flush();
    await owner.client.heartbeat({ catalog: 'films', revision: 1 });
    expect(await mallory.client.heartbeatOffline({ catalog: 'films' })).toEqual({ went_offline: false });
    await sleep(300);
    expect(feed).toEqual([]);
    expect((await owner.client.heartbeat({ catalog: 'films', revision: 1 })).came_online).toBe(false);
  });

  it('refuses malformed requests with 400', async () => {
    const { nc } = await f.user('sloppy');
    const offline = (body: unknown) => call(nc, subjects.global(GlobalOps.heartbeatsOffline), body, HeartbeatOfflineReply);
    await expect(offline({ catalog: '../films' })).rejects.toMatchObject({ code: 400 });
    await expect(offline({ catalog: 'films', owner: 'ABC' })).rejects.toMatchObject({ code: 400 });
    await expect(offline({})).rejects.toMatchObject({ code: 400 });
  });
});

describe('a crashed catalog (silent) goes offline within three heartbeat periods', () => {
  // long enough that the 0.5-period gap between 3.1 periods (the bound) and 3.6 (the check) is 1.5 s on a loaded machine
  const PERIOD_MS = 3000;
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ overrides: { heartbeatPeriodMs: PERIOD_MS } });
  });
  afterAll(async () => f?.stop());

  it('whenever in the sweep cycle the heartbeats stop', async () => {
    const owner = await f.user('crash-owner');
    const feed = collect(owner.client.watchEvents(['catalog_offline']));
    await owner.nc.flush();
    // Five catalogs fall silent a fifth of a period apart, so some stop just
    // after a sweep: a sweep once a period would take up to 4 periods for those.
    const catalogs = ['c0', 'c1', 'c2', 'c3', 'c4'];
    const lastBeat = new Map<string, number>();
    await Promise.all(
      catalogs.map(async (catalog, i) => {
        const silentAt = Date.now() + PERIOD_MS + (i * PERIOD_MS) / catalogs.length;
        while (Date.now() < silentAt) {
          await owner.client.heartbeat({ catalog, revision: 1 });
          lastBeat.set(catalog, Date.now());
          await sleep(PERIOD_MS / 4);
        }
      }),
    );
    await eventually(async () => catalogs.every((c) => offlineOf(feed, c)), Boolean, 10 * PERIOD_MS);
    const delays = catalogs.map((c) => Date.parse(offlineOf(feed, c)!.time) - lastBeat.get(c)!);
    process.stdout.write(`last heartbeat → catalog_offline with ${PERIOD_MS} ms periods: ${delays.join(', ')} ms\n`);
    // a sweep once a period leaves one of the five ≥ 3.8 periods; sweeping a tenth of a period stays near 3.1
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(3.6 * PERIOD_MS);
  });
});
