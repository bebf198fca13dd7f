import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore, createCatalog, startCatalogServer, type CatalogServer } from '../src';
import { eventually, quietLogger, startWorld, type Person, type World } from './world';

describe('a served catalog whose file another process saves', () => {
  let world: World;
  let tmp: string;
  let owner: Person;
  let server: CatalogServer;

  beforeAll(async () => {
    world = await startWorld();
    owner = await world.signUp('owner');
    tmp = await mkdtemp(join(tmpdir(), 'natster-file-watch-'));
    await mkdir(join(tmp, 'media'));
    await writeFile(join(tmp, 'media', 'clip.webm'), 'clip');
    const { store } = await createCatalog(join(tmp, 'catalogs'), { name: 'shelf', description: 'one clip', root: join(tmp, 'media') });
    server = await startCatalogServer({
      nc: owner.nc,
      account: owner.account,
      catalogs: [store],
      global: owner.global,
      logger: quietLogger(),
      // the rescan timer is far away: only watching the catalog file can notice in time
      rescanMs: 600_000,
    });
  });

  afterAll(async () => {
    await server?.stop();
    await world?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('serves a description added by `natster catalog describe` (another process) without waiting for a rescan', async () => {
    const before = await owner.catalogs.page('shelf');
    expect(before.entries[0]?.description).toBeUndefined();

    // what `natster catalog describe` does: load the saved catalog, edit, save
    const cli = await CatalogStore.load(join(tmp, 'catalogs'), 'shelf');
    expect(cli.describe(cli.entries[0]!.hash, 'the first clip')).toBe(1);
    await cli.save();

    const after = await eventually(() => owner.catalogs.page('shelf').then((p) => (p.entries[0]?.description ? p : undefined)), 15_000);
    expect(after.entries[0]?.description).toBe('the first clip');
    expect(after.revision).toBeGreaterThan(before.revision);
  });
});
