import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, until, type Platform } from './platform';
import { json, runCli } from './run-cli';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const DOWNLOADS = 3;

/**
 * Two `catalog serve` processes of one owner, each serving one catalog with
 * the chunker it starts: a chunker takes only transfers of the catalogs it
 * serves, so stopping one serve never touches the other's downloads.
 */
describe('chunkers per catalog', () => {
  let platform: Platform;
  let tmp: string;
  let owner: Record<string, string>;
  let friend: Record<string, string>;
  let films: ChildProcess;
  let song: Buffer;

  beforeAll(async () => {
    platform = await startPlatform();
    tmp = await mkdtemp(join(tmpdir(), 'natster-cli-chunkers-'));
    owner = { NATSTER_HOME: join(tmp, 'owner'), NATSTER_HUB_DIR: platform.th.dir, NATSTER_LOG_LEVEL: 'warn' };
    friend = { NATSTER_HOME: join(tmp, 'friend'), NATSTER_HUB_DIR: platform.th.dir };
    await mkdir(join(tmp, 'films'), { recursive: true });
    await mkdir(join(tmp, 'music'), { recursive: true });
    await writeFile(join(tmp, 'films', 'movie.bin'), randomBytes(1024));
    song = randomBytes(24 * 1024 * 1024);
    await writeFile(join(tmp, 'music', 'song.bin'), song);
    json(await runCli(['init', '--name', 'Owner', '--json'], owner));
    const friendKey = json<{ account: string }>(await runCli(['init', '--name', 'Friend', '--json'], friend)).account;
    for (const name of ['films', 'music']) {
      json(await runCli(['catalog', 'new', name, name, join(tmp, name), '--json'], owner));
      expect((await runCli(['catalog', 'share', name, friendKey], owner)).code).toBe(0);
    }
    films = await platform.startCli(['catalog', 'serve', 'films', '--threads', '1'], owner, /serving films/);
    await platform.startCli(['catalog', 'serve', 'music', '--threads', '1'], owner, /serving music/);
    for (const name of ['films', 'music']) {
      await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.stdout.includes(name));
      expect((await runCli(['catalog', 'inbox', '--import', name], friend)).code).toBe(0);
      await until(() => runCli(['catalog', 'contents', name, '--json'], friend), (r) => r.code === 0);
    }
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('a clean stop of one catalog’s serve leaves downloads of another catalog running: they complete and verify without a resume', async () => {
    const outs = Array.from({ length: DOWNLOADS }, (_, i) => join(tmp, `song-${i}.bin`));
    const downloads = outs.map((out) => runCli(['catalog', 'download', 'music', 'song.bin', out, '--json'], friend, 120_000));
    // mid-download: the first bytes are on disk
    await expect.poll(() => outs.some((out) => existsSync(`${out}.partial`) && statSync(`${out}.partial`).size > 0), { timeout: 30_000, interval: 10 }).toBe(true);
    films.kill('SIGTERM');
    const results = await Promise.all(downloads);
    await new Promise((resolve) => (films.exitCode === null ? films.once('exit', resolve) : resolve(null)));
    for (const [i, result] of results.entries()) {
      expect(json<{ sha256: string; resumes: number }>(result)).toMatchObject({ sha256: sha256(song), resumes: 0 });
      expect(Buffer.compare(await readFile(outs[i]!), song)).toBe(0);
    }
  }, 120_000);
});
