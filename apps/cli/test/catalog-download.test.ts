import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkerDefaults } from '@natster/chunker';
import { connectionOf, type NatsterContext } from '@natster/context';
import { connectNatster } from '@natster/nats';
import { TransferHeaders } from '@natster/protocol';
import { startPlatform, until, type Platform } from './platform';
import { childrenOf } from './processes';
import { json, runCli } from './run-cli';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Counts the copies of each chunk of `catalog`'s transfers that reach an account, on a second
 * connection with that account's creds (the fault switches act inside the receiver, after the wire).
 */
async function countChunkCopies(env: Record<string, string>, catalog: string): Promise<{ copies: Map<number, number>; close(): Promise<void> }> {
  const context = JSON.parse(await readFile(join(env.NATSTER_HOME!, 'contexts', 'default.json'), 'utf8')) as NatsterContext;
  const nc = await connectNatster({ ...connectionOf(context), name: 'test chunk counter' });
  const copies = new Map<number, number>();
  nc.subscribe(`natster.media.${catalog}.>`, {
    callback: (_err, msg) => {
      const index = msg.headers?.get(TransferHeaders.chunk);
      if (index) copies.set(Number(index), (copies.get(Number(index)) ?? 0) + 1);
    },
  });
  await nc.flush();
  return { copies, close: () => nc.close() };
}

/**
 * `natster catalog download` as a person runs it: a real hub, authority and
 * global service, the owner's `catalog serve` (with the chunker it starts), and a
 * friend who imported the shared catalog.
 */
describe('natster catalog download', () => {
  let platform: Platform;
  let tmp: string;
  let owner: Record<string, string>;
  let friend: Record<string, string>;
  let friendKey: string;
  const running: ChildProcess[] = [];
  let movie: Buffer;

  beforeAll(async () => {
    platform = await startPlatform();
    tmp = await mkdtemp(join(tmpdir(), 'natster-cli-download-'));
    owner = { NATSTER_HOME: join(tmp, 'owner'), NATSTER_HUB_DIR: platform.th.dir, NATSTER_LOG_LEVEL: 'warn' };
    friend = { NATSTER_HOME: join(tmp, 'friend'), NATSTER_HUB_DIR: platform.th.dir };
    await mkdir(join(tmp, 'media', 'clips'), { recursive: true });
    movie = randomBytes(16 * 1024 * 1024 + 17); // 33 chunks
    await writeFile(join(tmp, 'media', 'clips', 'movie.bin'), movie);
    json(await runCli(['init', '--name', 'Owner', '--json'], owner));
    friendKey = json<{ account: string }>(await runCli(['init', '--name', 'Friend', '--json'], friend)).account;
    json(await runCli(['catalog', 'new', 'films', 'Films', join(tmp, 'media'), '--json'], owner));
    expect((await runCli(['catalog', 'share', 'films', friendKey], owner)).code).toBe(0);
    // serve starts its own chunker: one command is enough to share and download
    running.push(await platform.startCli(['catalog', 'serve', 'films', '--threads', '1'], owner, /serving films/));
    await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.stdout.includes('films'));
    expect((await runCli(['catalog', 'inbox', '--import', 'films'], friend)).code).toBe(0);
    await until(() => runCli(['catalog', 'contents', 'films', '--json'], friend), (r) => r.code === 0);
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('downloads a file by path, verifies it and prints JSON progress and result', async () => {
    const out = join(tmp, 'movie.bin');
    const result = await runCli(['catalog', 'download', 'films', 'clips/movie.bin', out, '--json'], friend);
    expect(json<{ path: string; bytes: number; sha256: string }>(result)).toMatchObject({ path: out, bytes: movie.length, sha256: sha256(movie) });
    expect(result.stderr).toMatch(/"progress":\{.*"done":true/);
    expect(Buffer.compare(await readFile(out), movie)).toBe(0);
  });

  it('still completes when the receiver drops 30% of chunks and corrupts one: those chunks are sent again', async () => {
    const out = join(tmp, 'lossy.bin');
    const chunks = Math.ceil(movie.length / chunkerDefaults.chunkSize);
    const wire = await countChunkCopies(friend, 'films');
    try {
      const result = await runCli(['catalog', 'download', 'films', sha256(movie), out, '--json'], { ...friend, NATSTER_TEST_DROP_RATE: '0.3', NATSTER_TEST_CORRUPT_CHUNK: '2' });
      expect(json<{ sha256: string }>(result).sha256).toBe(sha256(movie));
      expect(Buffer.compare(await readFile(out), movie)).toBe(0);
      await expect.poll(() => wire.copies.size, { timeout: 10_000 }).toBe(chunks);
    } finally {
      await wire.close();
    }
    // the corrupted first copy of chunk 2 was rejected and asked for again
    expect(wire.copies.get(2)).toBeGreaterThanOrEqual(2);
    // and so were dropped ones (that none of the other 32 drops at 30% has odds of 0.7^32, about 1e-5)
    expect([...wire.copies].filter(([index, n]) => index !== 2 && n >= 2).length).toBeGreaterThan(0);
  });

  it('says clearly when the file is unknown, the share is revoked, or the catalog is offline', async () => {
    const unknown = await runCli(['catalog', 'download', 'films', 'nope.bin', join(tmp, 'nope.bin')], friend);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no file nope\.bin in catalog films/);

    expect((await runCli(['catalog', 'unshare', 'films', friendKey], owner)).code).toBe(0);
    const revoked = await until(() => runCli(['catalog', 'download', 'films', 'clips/movie.bin', join(tmp, 'revoked.bin')], friend), (r) => r.code !== 0);
    expect(revoked.stderr).toMatch(/not shared with your account/);

    running[0]!.kill('SIGTERM');
    await new Promise((resolve) => running[0]!.once('exit', resolve));
    const offline = await runCli(['catalog', 'download', 'films', 'clips/movie.bin', join(tmp, 'offline.bin')], friend);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(/catalog films is offline/);
  });

  it('the chunker that serve starts stops with it, even when serve is killed outright', async () => {
    const serve = await platform.startCli(['catalog', 'serve', 'films', '--threads', '1'], owner, /serving films/);
    const [chunker] = childrenOf(serve.pid!);
    expect(chunker).toBeDefined();
    serve.kill('SIGKILL');
    await expect.poll(() => existsSync(`/proc/${chunker}`), { timeout: 15_000, interval: 200 }).toBe(false);
  });
});
