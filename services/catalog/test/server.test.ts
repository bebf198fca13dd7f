import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJson, encodeJson } from '@natster/nats';
import { subjects, type CatalogEntry, type Envelope } from '@natster/protocol';
import { CatalogStore, createCatalog, startCatalogServer, type CatalogServer } from '../src';
import { eventually, quietLogger, startWorld, type Person, type World } from './world';

const hex = (n: number) => n.toString(16).padStart(64, '0');
const XKEY = 'X' + 'A'.repeat(55);

describe('catalog server', () => {
  let world: World;
  let tmp: string;
  let owner: Person;
  let server: CatalogServer;
  let secretHash: string;

  /** A raw request, so malformed bodies reach the server as sent. */
  const raw = async (subject: string, body: Uint8Array): Promise<Envelope> =>
    decodeJson((await owner.nc.request(subject, body, { timeout: 3000 })).data) as Envelope;

  beforeAll(async () => {
    world = await startWorld();
    owner = await world.signUp('owner');
    tmp = await mkdtemp(join(tmpdir(), 'natster-server-'));
    const catalogs = join(tmp, 'catalogs');
    await mkdir(join(tmp, 'media'));
    await writeFile(join(tmp, 'media', 'clip.webm'), 'clip');
    await writeFile(join(tmp, 'secret.txt'), 'outside the root');

    // 100,000 synthetic entries (the files need not exist to be listed)
    const big = await CatalogStore.create(catalogs, { name: 'big', description: 'synthetic', root: join(tmp, 'media') });
    const entries: CatalogEntry[] = Array.from({ length: 100_000 }, (_, i) => ({
      path: `folder-${String(i % 100).padStart(3, '0')}/file-${String(i).padStart(6, '0')}.txt`,
      hash: hex(i + 1),
      size: i,
      mtime_ms: 1_700_000_000_000,
      mime_type: 'text/plain',
    })).sort((a, b) => (a.path < b.path ? -1 : 1));
    big.replaceEntries(entries, false);
    await big.save();

    // a tampered catalog file: an entry that climbs out of the root must never be served
    const { store: small } = await createCatalog(catalogs, { name: 'small', description: 'one clip', root: join(tmp, 'media') });
    secretHash = hex(999);
    small.replaceEntries([...small.entries, { path: '../secret.txt', hash: secretHash, size: 16, mtime_ms: 1, mime_type: 'text/plain' }], false);

    server = await startCatalogServer({
      nc: owner.nc,
      account: owner.account,
      catalogs: [await CatalogStore.load(catalogs, 'big'), small],
      global: owner.global,
      logger: quietLogger(),
      heartbeatMs: 200,
      rescanMs: 0,
    });
  });

  afterAll(async () => {
    await server?.stop();
    await world?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('lists a catalog of 100,000 entries completely through pages that stay far below max_payload', async () => {
    let pages = 0;
    let largest = 0;
    const paths: string[] = [];
    for await (const page of owner.catalogs.pages('big', { limit: 5000 })) {
      pages++;
      largest = Math.max(largest, encodeJson(page).length);
      for (const e of page.entries) paths.push(e.path);
      expect(page.total).toBe(100_000);
    }
    expect(paths).toHaveLength(100_000);
    expect(new Set(paths).size).toBe(100_000);
    expect(paths).toEqual([...paths].sort());
    expect(pages).toBeGreaterThan(20);
    expect(largest).toBeLessThan(300 * 1024);
  });

  it('filters by prefix and search across pages', async () => {
    const inFolder = await owner.catalogs.list('big', { prefix: 'folder-007/', limit: 100 });
    expect(inFolder.total).toBe(1000);
    expect(inFolder.entries).toHaveLength(1000);
    expect(inFolder.entries.every((e) => e.path.startsWith('folder-007/'))).toBe(true);
    const found = await owner.catalogs.list('big', { search: 'FILE-00001', limit: 3 });
    expect(found.entries.map((e) => e.path)).toEqual(Array.from({ length: 10 }, (_, i) => `folder-${String(10 + i).padStart(3, '0')}/file-0000${10 + i}.txt`));
  });

  it('answers malformed, oversized and unknown requests with 4xx and keeps serving', async () => {
    const get = subjects.catalog('big', 'get');
    expect((await raw(get, new TextEncoder().encode('{not json'))).code).toBe(400);
    expect((await raw(get, encodeJson({ limit: 0 }))).code).toBe(400);
    expect((await raw(get, encodeJson({ limit: 'all' }))).code).toBe(400);
    expect((await raw(get, encodeJson({ extra: true }))).code).toBe(400);
    const badCursor = await raw(get, encodeJson({ cursor: '../../etc' }));
    expect(badCursor).toMatchObject({ code: 400, error: expect.stringMatching(/invalid cursor/) });
    expect((await raw(get, new Uint8Array(200 * 1024).fill(32))).code).toBe(413);
    expect((await raw('natster.catalog.big.frobnicate', encodeJson({}))).code).toBe(404);
    expect((await raw(subjects.catalog('big', 'download'), encodeJson({ hash: 'x' }))).code).toBe(400);
    const page = await owner.catalogs.page('big', { limit: 2 });
    expect(page.entries).toHaveLength(2);
  });

  it('never serves a path that climbs out of the root, even from a tampered catalog file', async () => {
    const download = subjects.catalog('small', 'download');
    const escaped = await raw(download, encodeJson({ hash: secretHash, target_xkey: XKEY }));
    expect(escaped.code).toBe(404);
    expect((await raw(download, encodeJson({ hash: '../secret.txt', target_xkey: XKEY }))).code).toBe(404);
    // the real clip resolves and gets past resolution to the transfer step (no chunker runs here)
    const clip = await raw(download, encodeJson({ hash: 'clip.webm', target_xkey: XKEY }));
    expect(clip.code).not.toBe(404);
    expect(clip.error).toMatch(/chunker/);
  });

  it('sends heartbeats, so the global service counts the catalogs online', async () => {
    const stats = await eventually(async () => {
      const s = await owner.global.stats();
      return s.catalogs_online >= 2 ? s : undefined;
    });
    expect(stats.catalogs_online).toBeGreaterThanOrEqual(2);
  });

  it('registers with the NATS service API under its queue group', async () => {
    const infos = await owner.nc.services.client().info('natster-catalog');
    const found = [];
    for await (const info of infos) found.push(info);
    expect(found).toHaveLength(1);
    expect(found[0]?.endpoints.map((e) => e.subject)).toContain('natster.catalog.big.*');
  });
});
