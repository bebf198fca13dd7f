import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@natster/nats';
import type { StatsReply } from '@natster/protocol';
import { Names, rebuildProjections, snapshotProjections, waitForProjections } from '../src/index';
import { initialized, shareEvent, startFixture, type Fixture } from './fixture';

const logger = createLogger('rebuild', { level: 'error' });
const CATALOGS = ['films', 'music', 'books'];

/** Deterministic pseudo-random choices, so a failure can be replayed (test data, not security). */
function prng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

/** What the stats must say after the driven events, computed independently of the service. */
interface Model {
  accounts: Set<string>;
  shared: Set<string>;
  imported: Set<string>;
  events: number;
}

/**
 * Drives `count` mixed events from `users`, one after another
 * (initializations, shares, unshares, imports, unimports, heartbeats,
 * repeated signups), and returns the model of what they should produce.
 */
async function drive(f: Fixture, users: Awaited<ReturnType<Fixture['user']>>[], count: number, seed: number): Promise<Model> {
  const rand = prng(seed);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const model: Model = { accounts: new Set(), shared: new Set(), imported: new Set(), events: 0 };
  for (let i = 0; i < count; i++) {
    const me = pick(users);
    const other = pick(users.filter((u) => u !== me));
    const catalog = pick(CATALOGS);
    const roll = rand();
    model.events++;
    if (roll < 0.1) {
      model.accounts.add(me.user.account);
      await f.authority.putEvent(initialized(me.user.account, `Person ${me.user.name}`));
    } else if (roll < 0.4) {
      model.shared.add(`${me.user.account}.${catalog}.${other.user.account}`);
      await me.client.putEvent(shareEvent('catalog_shared', me.user.account, other.user.account, catalog));
    } else if (roll < 0.55) {
      model.shared.delete(`${me.user.account}.${catalog}.${other.user.account}`);
      await me.client.putEvent(shareEvent('catalog_unshared', me.user.account, other.user.account, catalog));
    } else if (roll < 0.8) {
      model.imported.add(`${other.user.account}.${catalog}.${me.user.account}`);
      await me.client.putEvent(shareEvent('catalog_imported', me.user.account, other.user.account, catalog));
    } else if (roll < 0.9) {
      model.imported.delete(`${other.user.account}.${catalog}.${me.user.account}`);
      await me.client.putEvent(shareEvent('catalog_unimported', me.user.account, other.user.account, catalog));
    } else {
      // only a catalog's first heartbeat writes an event (catalog_online): those are counted from the log
      model.events--;
      await me.client.heartbeat({ catalog, revision: i });
    }
  }
  return model;
}

function merge(a: Model, b: Model): Model {
  return {
    accounts: new Set([...a.accounts, ...b.accounts]),
    shared: new Set([...a.shared, ...b.shared]),
    imported: new Set([...a.imported, ...b.imported]),
    events: a.events + b.events,
  };
}

/** Stats must match the model, and count every event in the log (the model's plus catalog_online ones). */
async function expectStats(f: Fixture, stats: StatsReply, model: Model): Promise<void> {
  const jsm = await f.globalNc.jetstreamManager();
  const logged = (await jsm.streams.info(Names.stream)).state.messages;
  expect(logged).toBeGreaterThan(model.events);
  expect(stats).toMatchObject({
    accounts_initialized: model.accounts.size,
    shares_active: model.shared.size,
    imports: model.imported.size,
    events_total: logged,
  });
}

describe('projections', () => {
  let f: Fixture;
  let users: Awaited<ReturnType<Fixture['user']>>[];
  let model: Model;
  beforeAll(async () => {
    // a long heartbeat period: no catalog goes offline (a new event) while states are compared
    f = await startFixture({ overrides: { heartbeatPeriodMs: 60_000 } });
    users = await Promise.all(Array.from({ length: 8 }, (_, i) => f.user(`p${i}`)));
    model = await drive(f, users, 320, 42);
    await waitForProjections(f.globalNc);
  });
  afterAll(async () => f?.stop());

  it('match an independent model of a few hundred mixed events', async () => {
    await expectStats(f, await users[0]!.client.stats(), model);
    for (const u of users) {
      const shares = await u.client.myShares();
      const expectedShared = [...model.shared].filter((k) => k.startsWith(u.user.account) || k.endsWith(u.user.account));
      expect(shares.filter((s) => s.shared).map((s) => `${s.owner}.${s.catalog}.${s.target}`).sort()).toEqual(expectedShared.sort());
    }
  });

  it('replaying the log over the existing buckets changes nothing (idempotent)', async () => {
    const js = f.globalNc.jetstream();
    const before = await snapshotProjections(js);
    const jsm = await f.globalNc.jetstreamManager();
    // delete only the consumers: the running service re-creates them and replays every event
    for (const durable of ['projector-accounts', 'projector-shares', 'projector-stats']) await jsm.consumers.delete(Names.stream, durable);
    await new Promise((r) => setTimeout(r, 1000));
    await waitForProjections(f.globalNc);
    expect(await snapshotProjections(js)).toEqual(before);
  });

  it('rebuild deletes buckets and consumers and reproduces the live state from the log', async () => {
    const js = f.globalNc.jetstream();
    const live = await snapshotProjections(js);
    expect(Object.keys(live[Names.buckets.shares] ?? {}).length).toBeGreaterThan(20);
    await rebuildProjections(f.globalNc, { replicas: 1, logger });
    expect(await snapshotProjections(js)).toEqual(live);
    // the running service keeps answering from the rebuilt buckets
    await expectStats(f, await users[1]!.client.stats(), model);
  });

  it('keeps display names sealed in the log and in the accounts bucket', async () => {
    const jsm = await f.globalNc.jetstreamManager();
    const info = await jsm.streams.info(Names.stream);
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const msg = await jsm.streams.getMessage(Names.stream, { seq });
      expect(new TextDecoder().decode(msg.data)).not.toContain('Person ');
    }
    const snapshot = await snapshotProjections(f.globalNc.jetstream());
    expect(JSON.stringify(snapshot)).not.toContain('Person ');
    const initializedUser = users.find((u) => model.accounts.has(u.user.account))!;
    expect((await initializedUser.client.whoami()).display_name).toBe(`Person ${initializedUser.user.name}`);
  });
});

describe('two global instances at once', () => {
  let f: Fixture;
  afterAll(async () => f?.stop());

  it('give the same projections as one, and as a rebuild', async () => {
    f = await startFixture({ instances: 2, overrides: { heartbeatPeriodMs: 60_000 } });
    const users = await Promise.all(Array.from({ length: 8 }, (_, i) => f.user(`q${i}`)));
    // two independent groups drive at once: their requests land on both instances (queue group)
    // and race on shared keys (the stats totals), while each group's own order stays exact
    const [a, b] = await Promise.all([drive(f, users.slice(0, 4), 160, 7), drive(f, users.slice(4), 160, 8)]);
    const model = merge(a!, b!);
    await waitForProjections(f.globalNc);
    await expectStats(f, await users[0]!.client.stats(), model);
    const js = f.globalNc.jetstream();
    const live = await snapshotProjections(js);
    await rebuildProjections(f.globalNc, { replicas: 1, logger });
    expect(await snapshotProjections(js)).toEqual(live);
    // both instances really served
    const perInstance = [];
    for await (const s of await f.globalNc.services.client().stats('natster-global')) perInstance.push(s.endpoints?.[0]?.num_requests ?? 0);
    expect(perInstance).toHaveLength(2);
    expect(Math.min(...perInstance)).toBeGreaterThan(20);
  });
});
