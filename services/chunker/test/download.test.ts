import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeXKey } from '@natster/crypto';
import { downloadStream, downloadToFile, openDownload, type Download, type DownloadEvent } from '@natster/client';
import { Codes, DownloadReply, NatsterError, subjects } from '@natster/protocol';
import { call, createLogger, type NatsConnection } from '@natster/nats';
import type { Chunker } from '../src/index';
import { CATALOG, startDownloadWorld, type DownloadWorld } from './download-world';

const CHUNK = 64 * 1024;
const logger = createLogger('download-test', { level: (process.env.TEST_LOG as 'debug') ?? 'error' });
/** Byte-for-byte equality without a slow deep diff of megabytes. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

/** Reads a download to its end (or its error), counting the bytes received. */
async function drain(download: Download, onChunk: (bytes: number) => void = () => undefined): Promise<void> {
  for await (const chunk of download.chunks) onChunk(chunk.length);
}

const chunkerDir = join(import.meta.dirname, '..');
const MiB = 1024 * 1024;

/**
 * Downloads end to end on a real hub (nats-server, global service,
 * authority): the owner shares catalog `films` with the reader through the
 * global service, the reader imports it through the authority, and every
 * download goes reader account → import → the owner's real catalog server
 * (share checks, the catalog made by the real scanner, rescanned after each
 * new file) → a real chunker (in-process or its own process) → the receiver.
 */
describe('downloads through the catalog server and the chunker', () => {
  let world: DownloadWorld;
  let chunker: Chunker;
  let ownerNc: NatsConnection;
  let readerNc: NatsConnection;
  let dir: string;

  function startChunkerProcess(): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: chunkerDir,
      env: {
        ...process.env,
        NATS_URL: world.world.th.url,
        NATSTER_CREDS: world.owner.credsPath,
        NATSTER_CATALOGS_DIR: world.catalogsDir,
        NATSTER_CATALOGS: CATALOG,
        NATSTER_CHUNK_SIZE: String(CHUNK),
        NATSTER_CHUNKER_WINDOW: '8',
        NATSTER_CHUNKER_THREADS: '1',
        NATSTER_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
  }

  async function waitForChunker(): Promise<void> {
    for (let i = 0; i < 150; i++) {
      const found = await ownerNc.services
        .client()
        .ping('natster-chunker')
        .then(async (replies) => {
          for await (const _ of replies) return true;
          return false;
        })
        .catch(() => false);
      if (found) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the chunker process did not come up');
  }

  /** Resolves when the owner's catalog server has applied the next revocation (and so told the chunkers to stop). */
  function nextRevocation(): Promise<string> {
    return new Promise((resolve) => {
      const off = world.server.onRevoked((account) => {
        off();
        resolve(account);
      });
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-download-'));
    world = await startDownloadWorld({
      files: {},
      readers: ['reader'],
      logger,
      chunker: { threads: 2, chunkSize: CHUNK, window: 8, retransmitAfterMs: 500, idleTimeoutMs: 2_000 },
    });
    chunker = world.chunker;
    ownerNc = world.owner.nc;
    readerNc = world.readers.get('reader')!.nc;
  });

  afterAll(async () => {
    await world?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads files byte for byte: a few MiB, an empty file, an exact multiple of the chunk size, by hash or path, own or imported', async () => {
    const cases = [
      await world.addFile('movie.bin', randomBytes(3 * MiB + 123)),
      await world.addFile('empty.bin', Buffer.alloc(0)),
      await world.addFile('exact.bin', randomBytes(4 * CHUNK)),
    ];
    for (const file of cases) {
      const out = join(dir, `out-${file.relPath}`);
      const result = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out });
      expect(result.info.sha256).toBe(file.sha256);
      expectSameBytes(await readFile(out), await readFile(file.absPath));
    }
    const own = join(dir, 'own-movie.bin');
    await downloadToFile(ownerNc, { catalog: CATALOG, hashOrPath: 'movie.bin', out: own });
    expectSameBytes(await readFile(own), await readFile(cases[0]!.absPath));
  });

  it('completes and verifies when 5% of chunks are dropped and one is corrupted, counting retransmits', async () => {
    const file = await world.addFile('lossy.bin', randomBytes(8 * MiB));
    const before = chunker.stats().retransmits;
    const out = join(dir, 'out-lossy.bin');
    const result = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out, faults: { dropRate: 0.05, corruptChunk: 3 } });
    expectSameBytes(await readFile(out), await readFile(file.absPath));
    expect(result.stats.rejected).toBe(1);
    expect(result.stats.dropped).toBeGreaterThan(0);
    expect(chunker.stats().retransmits - before).toBeGreaterThanOrEqual(result.stats.dropped + 1);
  });

  it('recovers a lost last chunk instead of hanging', async () => {
    const file = await world.addFile('tail.bin', randomBytes(10 * CHUNK + 5));
    const out = join(dir, 'out-tail.bin');
    const result = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out, faults: { dropChunks: [10] } });
    expect(result.stats.dropped).toBe(1);
    expectSameBytes(await readFile(out), await readFile(file.absPath));
  });

  it('refuses a target xkey with a bad checksum or a weak (low-order) key with a 400', async () => {
    await world.addFile('keys.bin', randomBytes(1000));
    const weak = encodeXKey(new Uint8Array(32));
    for (const target_xkey of ['X' + 'A'.repeat(55), weak]) {
      const refused = await call(readerNc, subjects.catalog(CATALOG, 'download'), { hash: 'keys.bin', target_xkey }, DownloadReply).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(NatsterError);
      expect(refused).toMatchObject({ code: Codes.badRequest, message: expect.stringMatching(/target_xkey is not a usable xkey/) });
    }
  });

  it('returns exactly the requested byte range', async () => {
    const file = await world.addFile('range.bin', randomBytes(MiB));
    const { info, stream } = await downloadStream(readerNc, { catalog: CATALOG, hashOrPath: 'range.bin', offset: 100_000, length: 300_001 });
    expect(info).toMatchObject({ offset: 100_000, length: 300_001, file_size: file.size, sha256: file.sha256 });
    const received = Buffer.from(await new Response(stream).arrayBuffer());
    expectSameBytes(received, (await readFile(file.absPath)).subarray(100_000, 400_001));
    const tail = await openDownload(readerNc, { catalog: CATALOG, hashOrPath: 'range.bin', offset: file.size - 10, length: 1_000 });
    expect(tail.info).toMatchObject({ offset: file.size - 10, length: 10 });
    tail.cancel();
  });

  it('resumes an interrupted download from its partial file', async () => {
    const file = await world.addFile('resume.bin', randomBytes(6 * MiB));
    const out = join(dir, 'out-resume.bin');
    const abort = new AbortController();
    const first = downloadToFile(readerNc, {
      catalog: CATALOG,
      hashOrPath: file.sha256,
      out,
      signal: abort.signal,
      onProgress: (p) => p.bytes > 2 * MiB && abort.abort(),
    });
    await expect(first).rejects.toThrow();
    const second = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out });
    expect(second.resumedFrom).toBeGreaterThan(2 * MiB);
    expectSameBytes(await readFile(out), await readFile(file.absPath));
  });

  it('starts over when the owner’s file changed since the partial download', async () => {
    await world.addFile('changing.bin', randomBytes(3 * MiB));
    const out = join(dir, 'out-changing.bin');
    const abort = new AbortController();
    const first = downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: 'changing.bin', out, signal: abort.signal, onProgress: (p) => p.bytes > MiB && abort.abort() });
    await expect(first).rejects.toThrow();
    const changed = await world.addFile('changing.bin', randomBytes(2 * MiB));
    const second = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: 'changing.bin', out });
    expect(second.resumedFrom).toBe(0);
    expect(second.info.sha256).toBe(changed.sha256);
    expectSameBytes(await readFile(out), await readFile(changed.absPath));
  });

  it('stops a running transfer when the owner unshares the catalog, and the downloader is told why', async () => {
    await world.addFile('revoked.bin', randomBytes(16 * MiB));
    const before = chunker.stats().stopped;
    const download = await openDownload(readerNc, { catalog: CATALOG, hashOrPath: 'revoked.bin' });
    try {
      let received = 0;
      const reading = (async () => {
        for await (const chunk of download.chunks) {
          if (received === 0) {
            // `natster catalog unshare` while the transfer runs; the reader reads on once the catalog server applied it
            const revoked = nextRevocation();
            await world.unshare('reader');
            expect(await revoked).toBe(world.readers.get('reader')!.account);
          }
          received += chunk.length;
        }
      })();
      await expect(reading).rejects.toThrow(/the owner stopped sharing catalog films with you/);
      expect(received).toBeGreaterThan(0);
      expect(received).toBeLessThan(16 * MiB);
      expect(chunker.stats()).toMatchObject({ active_transfers: 0, stopped: before + 1 });
      // and a new download of it is refused until the owner shares again
      await expect(openDownload(readerNc, { catalog: CATALOG, hashOrPath: 'revoked.bin' })).rejects.toMatchObject({ code: Codes.forbidden });
    } finally {
      download.cancel();
      await world.share('reader');
    }
  });

  it('unsharing stops the transfers on every chunker of the catalog when several run, not on one of them', async () => {
    const file = await world.addFile('busy.bin', randomBytes(4 * MiB));
    const chunkers = [chunker, await world.startAnotherChunker(), await world.startAnotherChunker()];
    const downloads: Download[] = [];
    try {
      const stoppedBefore = chunkers.map((c) => c.stats().stopped);
      // the queue group hands starts out at random: open downloads (held unread: the receiver keeps
      // acking, the transfer waits for credit) until every chunker holds at least one
      for (let i = 0; i < 60 && !chunkers.every((c) => c.stats().active_transfers > 0); i++) {
        downloads.push(await openDownload(readerNc, { catalog: CATALOG, hashOrPath: file.sha256 }));
      }
      const held = chunkers.map((c) => c.stats().active_transfers);
      expect(held.every((n) => n > 0)).toBe(true);

      await world.unshare('reader');
      await expect.poll(() => chunkers.map((c) => c.stats().active_transfers), { timeout: 15_000, interval: 100 }).toEqual([0, 0, 0]);
      expect(chunkers.map((c, i) => c.stats().stopped - stoppedBefore[i]!)).toEqual(held);
      for (const download of downloads) await expect(drain(download)).rejects.toThrow(/the owner stopped sharing catalog films with you/);
    } finally {
      for (const download of downloads) download.cancel();
      for (const extra of chunkers.slice(1)) await extra.stop();
      await world.share('reader');
    }
  });

  it('abandons and frees a transfer whose receiver went away', async () => {
    await world.addFile('abandoned.bin', randomBytes(4 * MiB));
    const goneNc = await world.readers.get('reader')!.connect('reader-gone');
    const before = chunker.stats().abandoned;
    await openDownload(goneNc, { catalog: CATALOG, hashOrPath: 'abandoned.bin' });
    expect(chunker.stats().active_transfers).toBe(1);
    await goneNc.close();
    await expect.poll(() => chunker.stats().abandoned, { timeout: 15_000, interval: 100 }).toBe(before + 1);
    expect(chunker.stats().active_transfers).toBe(0);
  });

  it('runs 20 concurrent downloads that all complete and verify', async () => {
    const file = await world.addFile('popular.bin', randomBytes(2 * MiB + 7));
    const expected = await readFile(file.absPath);
    const outs = Array.from({ length: 20 }, (_, i) => join(dir, `out-popular-${i}.bin`));
    await Promise.all(outs.map((out) => downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out })));
    for (const out of outs) expectSameBytes(await readFile(out), expected);
  });

  // last: it stops the in-process chunker
  it('resumes on another chunker from the bytes already verified when the chunker process is killed mid-transfer', async () => {
    await chunker.stop();
    const file = await world.addFile('killed.bin', randomBytes(16 * MiB));
    let first: ChildProcess | null = startChunkerProcess();
    await waitForChunker();
    let second: ChildProcess | null = null;
    let received = 0;
    let receivedAtKill = 0;
    const resumed: { offset: number; received: number }[] = [];
    try {
      const out = join(dir, 'out-killed.bin');
      const result = await downloadToFile(readerNc, {
        catalog: CATALOG,
        hashOrPath: file.sha256,
        out,
        timing: { stallMs: 1_500 },
        onProgress: (p) => {
          received = p.bytes;
          if (first && p.bytes > 4 * MiB) {
            receivedAtKill = p.bytes;
            first.kill('SIGKILL');
            first = null;
            second = startChunkerProcess();
          }
        },
        onEvent: (event: DownloadEvent) => event.type === 'resumed' && resumed.push({ offset: event.offset, received }),
      });
      expect(result.stats.resumes).toBeGreaterThanOrEqual(1);
      expect(resumed.length).toBe(result.stats.resumes);
      // the new transfer starts where the verified bytes end: not from 0, not past what had arrived
      const [resume] = resumed;
      expect(resume!.offset).toBeGreaterThanOrEqual(receivedAtKill);
      expect(resume!.offset).toBeGreaterThan(4 * MiB);
      expect(resume!.offset).toBeLessThanOrEqual(resume!.received);
      expect(result.info.sha256).toBe(file.sha256);
      expectSameBytes(await readFile(out), await readFile(file.absPath));
    } finally {
      (first as ChildProcess | null)?.kill('SIGKILL');
      (second as ChildProcess | null)?.kill('SIGTERM');
    }
  }, 60_000);
});
