import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, until, type Platform } from './platform';
import { json, runCli } from './run-cli';

interface Row { catalog: string; role: string; owner: string; shared_with: string[]; imported: boolean; online: boolean; files: number | null; revision: number | null }
interface Contents { entries: { path: string; size: number; mime_type: string; hash: string; description?: string }[] }

describe('natster catalog commands', () => {
  let platform: Platform;
  let tmp: string;
  let owner: Record<string, string>;
  let friend: Record<string, string>;
  let ownerKey: string;
  let friendKey: string;
  let serve: ChildProcess | null = null;
  const media = () => join(tmp, 'media');

  beforeAll(async () => {
    platform = await startPlatform();
    tmp = await mkdtemp(join(tmpdir(), 'natster-cli-catalog-'));
    owner = { NATSTER_HOME: join(tmp, 'owner'), NATSTER_HUB_DIR: platform.th.dir };
    friend = { NATSTER_HOME: join(tmp, 'friend'), NATSTER_HUB_DIR: platform.th.dir };
    await mkdir(join(media(), 'clips'), { recursive: true });
    await writeFile(join(media(), 'clips', 'intro.mp4'), Buffer.alloc(20_000, 1));
    await writeFile(join(media(), 'notes.txt'), 'hello\n');
    await writeFile(join(tmp, 'private.txt'), 'keep out\n');
    await symlink(join(tmp, 'private.txt'), join(media(), 'sneaky.txt'));
    ownerKey = json<{ account: string }>(await runCli(['init', '--name', 'Owner', '--json'], owner)).account;
    friendKey = json<{ account: string }>(await runCli(['init', '--name', 'Friend', '--json'], friend)).account;
  });

  afterAll(async () => {
    await platform?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('new catalogs a folder (run from outside the repository), reporting the symlink that leaves it', async () => {
    const made = json<{ files: number; revision: number; skipped: { path: string; reason: string }[] }>(await runCli(['catalog', 'new', 'movies', 'Home movies', media(), '--json'], owner, undefined, tmp));
    expect(made.files).toBe(2);
    expect(made.revision).toBe(1);
    expect(made.skipped).toEqual([{ path: 'sneaky.txt', reason: expect.stringMatching(/leaves the catalog root/) }]);
    const bad = await runCli(['catalog', 'new', 'Bad Name!', 'x', media()], owner);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid catalog name/);
  });

  it('rescan and describe work on the local catalog', async () => {
    await writeFile(join(media(), 'clips', 'outro.mp4'), Buffer.alloc(5_000, 2));
    const rescan = json<{ added: string[]; hashed_bytes: number; revision: number }>(await runCli(['catalog', 'rescan', 'movies', '--json'], owner));
    expect(rescan).toMatchObject({ added: ['clips/outro.mp4'], hashed_bytes: 5_000, revision: 2 });
    const own = json<Contents>(await runCli(['catalog', 'contents', 'movies', '--json'], owner));
    const intro = own.entries.find((e) => e.path === 'clips/intro.mp4');
    const described = await runCli(['catalog', 'describe', 'movies', intro?.hash.slice(0, 12) ?? '', 'The opening scene'], owner);
    expect(described.stdout).toMatch(/Described 1 file/);
  });

  it('share → inbox → import → contents and ls while the owner serves', async () => {
    const bad = await runCli(['catalog', 'share', 'movies', 'not-a-key'], owner);
    expect(bad.stderr).toMatch(/is not an account key/);
    expect((await runCli(['catalog', 'share', 'movies', friendKey], owner)).code).toBe(0);

    serve = await platform.startCli(['catalog', 'serve', 'movies', '--threads', '1'], { ...owner, NATSTER_LOG_LEVEL: 'warn' }, /serving movies/);

    const inbox = await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.stdout.includes('movies'));
    expect(json<{ catalog: string; owner: string }[]>(inbox)).toEqual([expect.objectContaining({ catalog: 'movies', owner: ownerKey })]);
    expect((await runCli(['catalog', 'inbox', '--import', 'movies'], friend)).stdout).toMatch(/Imported movies/);

    const contents = json<Contents>(await until(() => runCli(['catalog', 'contents', 'movies', '--json'], friend), (r) => r.code === 0));
    expect(contents.entries.map((e) => [e.path, e.mime_type, e.description])).toEqual([
      ['clips/intro.mp4', 'video/mp4', 'The opening scene'],
      ['clips/outro.mp4', 'video/mp4', undefined],
      ['notes.txt', 'text/plain', undefined],
    ]);
    expect((await runCli(['catalog', 'contents', 'movies'], friend)).stdout).toMatch(/clips\/intro\.mp4 .*19\.5 KiB .*video\/mp4/);

    const theirs = json<Row[]>(await runCli(['catalog', 'ls', '--json'], friend));
    expect(theirs.find((r) => r.catalog === 'movies')).toMatchObject({ role: 'shared', owner: ownerKey, imported: true, online: true, files: 3, revision: 3 }); // describe bumped it
    expect(theirs.find((r) => r.catalog === 'hub')).toMatchObject({ role: 'shared', imported: true, online: false });
    const mine = json<Row[]>(await until(() => runCli(['catalog', 'ls', '--json'], owner), (r) => r.stdout.includes(friendKey)));
    expect(mine.find((r) => r.catalog === 'movies')).toMatchObject({ role: 'mine', shared_with: [friendKey], online: true, files: 3 });
  });

  it('unshare refuses the friend, sharing again restores access; a stopped server reads as offline', async () => {
    expect((await runCli(['catalog', 'unshare', 'movies', friendKey], owner)).code).toBe(0);
    const refused = await until(() => runCli(['catalog', 'contents', 'movies'], friend), (r) => r.code !== 0);
    expect(refused.stderr).toMatch(/not shared with your account/);

    expect((await runCli(['catalog', 'share', 'movies', friendKey], owner)).code).toBe(0);
    const restored = await until(() => runCli(['catalog', 'contents', 'movies', '--json'], friend), (r) => r.code === 0);
    expect(json<Contents>(restored).entries.map((e) => e.path)).toEqual(['clips/intro.mp4', 'clips/outro.mp4', 'notes.txt']);
    serve?.kill('SIGTERM');
    await new Promise((resolve) => serve?.once('exit', resolve));
    const offline = await runCli(['catalog', 'contents', 'movies'], friend);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/catalog movies is offline: its owner's catalog server is not running/);
  });
});
