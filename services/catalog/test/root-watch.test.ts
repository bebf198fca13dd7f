import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalog, startCatalogServer, type CatalogServer } from '../src';
import { eventually, quietLogger, startWorld, type Person, type World } from './world';

describe('a served catalog whose folder disappears', () => {
  let world: World;
  let tmp: string;
  let owner: Person;
  let server: CatalogServer;
  const said: string[] = [];
  const root = () => join(tmp, 'media');
  const saidMatching = (re: RegExp) => said.filter((line) => re.test(line)).length;

  beforeAll(async () => {
    world = await startWorld();
    owner = await world.signUp('owner');
    tmp = await mkdtemp(join(tmpdir(), 'natster-root-watch-'));
    await mkdir(root());
    await writeFile(join(root(), 'clip.webm'), 'clip');
    const { store } = await createCatalog(join(tmp, 'catalogs'), { name: 'shelf', description: 'one clip', root: root() });
    server = await startCatalogServer({
      nc: owner.nc,
      account: owner.account,
      catalogs: [store],
      global: owner.global,
      logger: quietLogger(),
      // the rescan timer is far away: only the watcher can notice in time
      rescanMs: 60_000,
      say: (line) => said.push(line),
    });
  });

  afterAll(async () => {
    await server?.stop();
    await world?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('is flagged at once when moved away, tells the owner, and is served again when it comes back', async () => {
    expect((await owner.catalogs.page('shelf')).entries.map((e) => e.path)).toEqual(['clip.webm']);

    await rename(root(), join(tmp, 'moved'));
    const gone = await eventually(() => owner.catalogs.page('shelf').then(() => undefined, (err: unknown) => err), 2000);
    expect(gone).toMatchObject({ code: 503, message: expect.stringMatching(/folder of catalog shelf is missing/) });
    expect(saidMatching(/folder of catalog shelf is gone/)).toBe(1);

    await rename(join(tmp, 'moved'), root());
    const back = await eventually(() => owner.catalogs.page('shelf').catch(() => undefined), 5000);
    expect(back.entries.map((e) => e.path)).toEqual(['clip.webm']);
    expect(saidMatching(/folder of catalog shelf is back/)).toBe(1);
  });

  it('is flagged at once when deleted, even after coming back once (the watcher is renewed)', async () => {
    await rm(root(), { recursive: true });
    const gone = await eventually(() => owner.catalogs.page('shelf').then(() => undefined, (err: unknown) => err), 2000);
    expect(gone).toMatchObject({ code: 503 });
    expect(saidMatching(/folder of catalog shelf is gone/)).toBe(2);
  });
});
