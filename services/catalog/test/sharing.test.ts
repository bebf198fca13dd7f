import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogImports } from '@natster/claims';
import { CatalogClient, pendingShares } from '@natster/client';
import type { NatsterError } from '@natster/protocol';
import { createCatalog, startCatalogServer, type CatalogServer } from '../src';
import { eventually, importCatalog, quietLogger, shareCatalog, startWorld, unshareCatalog, type Person, type World } from './world';

const errorOf = async (p: Promise<unknown>): Promise<NatsterError> => p.then(() => { throw new Error('expected a failure'); }, (e: NatsterError) => e);

describe('sharing a catalog between accounts', () => {
  let world: World;
  let tmp: string;
  let owner: Person;
  let friend: Person;
  let stranger: Person;
  let server: CatalogServer;
  const revoked: string[] = [];

  beforeAll(async () => {
    world = await startWorld();
    tmp = await mkdtemp(join(tmpdir(), 'natster-share-'));
    await mkdir(join(tmp, 'movies', 'series'), { recursive: true });
    await writeFile(join(tmp, 'movies', 'feature.mp4'), Buffer.alloc(10_000, 7));
    await writeFile(join(tmp, 'movies', 'series', 'episode-1.mkv'), Buffer.alloc(5_000, 8));
    [owner, friend, stranger] = await Promise.all([world.signUp('owner'), world.signUp('friend'), world.signUp('stranger')]);
    const { store } = await createCatalog(join(tmp, 'catalogs'), { name: 'movies', description: 'home movies', root: join(tmp, 'movies') });
    server = await startCatalogServer({ nc: owner.nc, account: owner.account, catalogs: [store], global: owner.global, logger: quietLogger(), heartbeatMs: 300, shareTtlMs: 100 });
    server.onRevoked((account, catalog) => revoked.push(`${catalog}:${account}`));
  });

  afterAll(async () => {
    await server?.stop();
    await world?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('the friend sees the share in the inbox, imports it and lists the contents while the owner serves', async () => {
    await shareCatalog(owner, friend, 'movies');
    const inbox = await eventually(async () => {
      const pending = pendingShares(await friend.global.myShares(), friend.account);
      return pending.length > 0 ? pending : undefined;
    });
    expect(inbox).toEqual([expect.objectContaining({ catalog: 'movies', owner: owner.account })]);

    await importCatalog(friend, owner, 'movies');
    const listing = await eventually(() => friend.catalogs.list('movies'));
    expect(listing.entries.map((e) => [e.path, e.size, e.mime_type])).toEqual([
      ['feature.mp4', 10_000, 'video/mp4'],
      ['series/episode-1.mkv', 5_000, 'video/x-matroska'],
    ]);
    expect(listing).toMatchObject({ catalog: 'movies', description: 'home movies', revision: 1, total: 2 });
    // imported now: gone from the inbox
    await eventually(async () => (pendingShares(await friend.global.myShares(), friend.account).length === 0 ? true : undefined));
  });

  it('the owner lists its own catalog locally, and its inbox shows what others shared with it', async () => {
    expect((await owner.catalogs.list('movies')).total).toBe(2);
    await shareCatalog(stranger, owner, 'tunes');
    const inbox = await eventually(async () => {
      const shares = await owner.catalogs.inbox();
      return shares.length > 0 ? shares : undefined;
    });
    expect(inbox).toEqual([expect.objectContaining({ catalog: 'tunes', owner: stranger.account })]);
  });

  it('an account the catalog was not shared with gets 403, even with a hand-made import', async () => {
    await world.th.pushAccount('stranger', stranger.account, catalogImports(stranger.account, 'movies', owner.account));
    const err = await eventually(() => errorOf(stranger.catalogs.page('movies')).then((e) => (e.code === 403 ? e : undefined)));
    expect(err.message).toMatch(/not shared with your account/);
  });

  it('after unshare the friend is refused, and transfer listeners hear of it', async () => {
    await friend.catalogs.page('movies');
    expect(revoked).toEqual([]);
    await unshareCatalog(owner, friend, 'movies');
    const err = await eventually(() => errorOf(friend.catalogs.page('movies')).then((e) => (e.code === 403 ? e : undefined)), 15_000);
    expect(err.message).toMatch(/not shared with your account/);
    expect(revoked).toEqual([`movies:${friend.account}`]);
    // and it stays refused after the shares snapshot is fetched again
    await new Promise((r) => setTimeout(r, 200));
    expect((await errorOf(friend.catalogs.page('movies'))).code).toBe(403);
  });

  it('sharing again restores access; with the owner server stopped the friend gets a clear "catalog offline" error, not a hang', async () => {
    await shareCatalog(owner, friend, 'movies');
    await eventually(() => friend.catalogs.page('movies'), 15_000);
    await server.stop();
    const err = await errorOf(new CatalogClient(friend.nc, 1000).page('movies'));
    expect(err.code).toBe(503);
    expect(err.message).toBe("catalog movies is offline: its owner's catalog server is not running");
  });
});
