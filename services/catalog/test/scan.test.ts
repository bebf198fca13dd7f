import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore, createCatalog, createHashPool, rescanCatalog, resolveUnderRoot, type Hasher, type SkippedPath } from '../src';

const catalogPackage = join(import.meta.dirname, '..');
/** `nobody` on Linux. */
const NOBODY = 65534;

/**
 * `catalog new` in a child process, as an ordinary user: root reads a file
 * whatever its mode, so when the tests run as root the scan runs as `nobody`
 * (the folders it needs are made readable, the catalog folder writable).
 */
async function scanAsOrdinaryUser(catalogs: string, root: string): Promise<{ paths: string[]; skipped: SkippedPath[] }> {
  const script = `
    const { createCatalog } = await import(process.env.CATALOG_SRC);
    const { store, result } = await createCatalog(process.env.CATALOGS, { name: 'odd', description: '', root: process.env.ROOT });
    process.stdout.write(JSON.stringify({ paths: store.entries.map((e) => e.path), skipped: result.skipped }));
    process.exit(0);`;
  const user = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: catalogPackage,
    env: { ...process.env, CATALOG_SRC: join(catalogPackage, 'src', 'index.ts'), CATALOGS: catalogs, ROOT: root },
    // only against a hang (a scanner reading a device forever): the test then fails instead of waiting for ever
    timeout: 60_000,
    ...user,
  });
  return JSON.parse(stdout) as { paths: string[]; skipped: SkippedPath[] };
}

/** A character device node `path` (/dev/zero's numbers), if this process may make one (root with CAP_MKNOD). */
function tryMknodZero(path: string): boolean {
  try {
    execFileSync('mknod', [path, 'c', '1', '5'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('catalog scanner and store', () => {
  let tmp: string;
  let root: string;
  let outside: string;
  let catalogs: string;
  let socket: Server;
  let hasher: Hasher;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'natster-scan-'));
    root = join(tmp, 'media');
    outside = join(tmp, 'secret.txt');
    catalogs = join(tmp, 'catalogs');
    await mkdir(join(root, 'music', 'live'), { recursive: true });
    await writeFile(join(root, 'movie.mp4'), Buffer.alloc(300_000, 1));
    await writeFile(join(root, 'music', 'song.mp3'), Buffer.alloc(200_000, 2));
    await writeFile(join(root, 'music', 'live', 'notes.txt'), 'a live set\n');
    await writeFile(outside, 'not for sharing\n');
    await symlink(outside, join(root, 'escape.txt'));
    await symlink(tmp, join(root, 'escape-dir'));
    await symlink(join(root, 'movie.mp4'), join(root, 'movie-link.mp4'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    socket = createServer();
    await new Promise<void>((resolve) => socket.listen(join(root, 'app.sock'), resolve));
    hasher = createHashPool({ threads: 2 });
  });

  afterAll(async () => {
    await hasher?.destroy();
    socket?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  it('catalogs regular files with hash, size and MIME type, and skips what leaves the root or is not a file', async () => {
    const progress: number[] = [];
    const { store, result } = await createCatalog(catalogs, { name: 'home', description: 'my media', root }, { hasher, onProgress: (p) => progress.push(p.files) });
    expect(store.entries.map((e) => e.path)).toEqual(['movie-link.mp4', 'movie.mp4', 'music/live/notes.txt', 'music/song.mp3']);
    const movie = store.byHashOrPath('movie.mp4');
    expect(movie).toMatchObject({ size: 300_000, mime_type: 'video/mp4' });
    expect(movie?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.byHashOrPath('music/song.mp3')?.mime_type).toBe('audio/mpeg');
    expect(store.revision).toBe(1);
    const skipped = Object.fromEntries(result.skipped.map((s) => [s.path, s.reason]));
    expect(skipped['escape.txt']).toMatch(/leaves the catalog root/);
    expect(skipped['escape-dir']).toMatch(/leaves the catalog root/);
    expect(skipped['pipe']).toMatch(/FIFO/);
    expect(skipped['app.sock']).toMatch(/socket/);
    expect(progress.at(-1)).toBe(4);

    const reloaded = await CatalogStore.load(catalogs, 'home');
    expect(reloaded.entries).toEqual(store.entries);
    await expect(createCatalog(catalogs, { name: 'home', description: '', root }, { hasher })).rejects.toMatchObject({ code: 409 });
  });

  it('skips a file it may not read and device files, saying why, and catalogues the rest', async () => {
    const odd = join(tmp, 'odd');
    const oddCatalogs = join(tmp, 'odd-catalogs');
    await mkdir(odd);
    await mkdir(oddCatalogs);
    await chmod(tmp, 0o755);
    await chmod(oddCatalogs, 0o777);
    await writeFile(join(odd, 'film.mp4'), 'film');
    await writeFile(join(odd, 'locked.mp4'), 'not for this user');
    await chmod(join(odd, 'locked.mp4'), 0o000);
    // a scanner that read /dev/zero would never finish: through a link, or a device node in the root
    await symlink('/dev/zero', join(odd, 'zero-link'));
    const node = tryMknodZero(join(odd, 'zero'));
    if (!node) console.warn('scan.test: a device node in the root is not checked: mknod is not permitted here (needs root with CAP_MKNOD)');

    const { paths, skipped } = await scanAsOrdinaryUser(oddCatalogs, odd);
    expect(paths).toEqual(['film.mp4']);
    const why = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
    expect(why['locked.mp4']).toMatch(/unreadable \(permission denied\)/);
    expect(why['zero-link']).toMatch(/leaves the catalog root/);
    if (node) expect(why['zero']).toBe('character device');
    expect(skipped).toHaveLength(node ? 3 : 2);
  });

  it('rescan reports added, changed and removed files and re-hashes only those', async () => {
    const store = await CatalogStore.load(catalogs, 'home');
    const song = join(root, 'music', 'song.mp3');
    await writeFile(song, Buffer.alloc(150_000, 3));
    await writeFile(join(root, 'new.ogg'), Buffer.alloc(50_000, 4));
    await unlink(join(root, 'music', 'live', 'notes.txt'));
    const before = hasher.hashedBytes;
    const result = await rescanCatalog(store, { hasher });
    expect(result.added).toEqual(['new.ogg']);
    expect(result.changed).toEqual(['music/song.mp3']);
    expect(result.removed).toEqual(['music/live/notes.txt']);
    expect(result.unchanged).toBe(2);
    // only the changed and the new file were read: 150,000 + 50,000 bytes, not the 300 KB movie twice
    expect(hasher.hashedBytes - before).toBe(200_000);
    expect(result.hashedBytes).toBe(200_000);
    expect(store.revision).toBe(2);

    const again = await rescanCatalog(store, { hasher });
    expect(again.hashedBytes).toBe(0);
    expect(store.revision).toBe(2);

    // same size, new mtime: re-hashed, and the unchanged content is not reported as changed content
    const later = new Date(Date.now() + 5_000);
    await utimes(song, later, later);
    const touched = await rescanCatalog(store, { hasher });
    expect(touched.changed).toEqual(['music/song.mp3']);
    expect(touched.hashedBytes).toBe(150_000);
  });

  it('describe sets a description by hash, and it survives a rescan', async () => {
    const store = await CatalogStore.load(catalogs, 'home');
    const ogg = store.byHashOrPath('new.ogg');
    expect(store.describe(ogg?.hash ?? '', 'a short tune')).toBe(1);
    await store.save();
    await rescanCatalog(store, { hasher });
    expect((await CatalogStore.load(catalogs, 'home')).byHashOrPath('new.ogg')?.description).toBe('a short tune');
  });

  it('never resolves a path outside the root', async () => {
    const { realpath } = await import('node:fs/promises');
    const realRoot = await realpath(root);
    expect(await resolveUnderRoot(realRoot, 'movie.mp4')).toBe(join(realRoot, 'movie.mp4'));
    for (const bad of ['../secret.txt', 'music/../../secret.txt', '/etc/passwd', 'escape.txt', 'escape-dir/secret.txt', './movie.mp4', 'music//song.mp3', 'music']) {
      expect(await resolveUnderRoot(realRoot, bad), bad).toBeNull();
    }
  });

  it("never catalogues Natster's own state: a .natster folder or the folder of the catalog files", async () => {
    const home = join(tmp, 'home');
    await mkdir(join(home, '.natster', 'keys'), { recursive: true });
    await writeFile(join(home, '.natster', 'keys', 'ACCOUNT.nk'), 'SAsecret');
    await writeFile(join(home, 'film.mp4'), 'film');
    const { store, result } = await createCatalog(join(home, 'catalogs'), { name: 'home', description: '', root: home }, { hasher });
    expect(store.entries.map((e) => e.path)).toEqual(['film.mp4']);
    expect(result.skipped.map((s) => s.path).sort()).toEqual(['.natster', 'catalogs']);
    // saving the catalog inside its own root does not make the next scan see a change
    expect((await rescanCatalog(store, { hasher })).added).toEqual([]);
    expect(store.revision).toBe(1);
  });
});
