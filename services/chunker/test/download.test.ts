import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogImports } from '@natster/claims';
import { createCatalog, rescanCatalog, type CatalogStore, type ResolvedFile, type RouteContext, type RevocationListener } from '@natster/catalog';
import { encodeXKey } from '@natster/crypto';
import { downloadStream, downloadToFile, openDownload } from '@natster/client';
import { Codes, DownloadReply, NatsterError, patterns, subjects, unscoped } from '@natster/protocol';
import { call, createLogger, startService, type NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub, type TestUser } from '@natster/testing';
import { downloadRoute } from '../../catalog/src/server/download';
import { loadServedCatalogs, startChunker, type Chunker } from '../src/index';

const CATALOG = 'films';
const CHUNK = 64 * 1024;
const logger = createLogger('download-test', { level: (process.env.TEST_LOG as 'debug') ?? 'error' });
/** Byte-for-byte equality without a slow deep diff of megabytes. */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(actual, expected)).toBe(0);
}

const chunkerDir = join(import.meta.dirname, '..');

/**
 * Downloads end to end on a real nats-server: reader account → import →
 * the real download route → a real chunker (in-process or its own process)
 * → the receiver. The route resolves from a fixed list of files here, the
 * chunker from the real catalog store on disk (rescanned after each new
 * file); authorization and scanning are the catalog server's tests.
 */
describe('downloads through the download route and the chunker', () => {
  let hub: TestHub;
  let owner: TestUser;
  let reader: TestUser;
  let ownerNc: NatsConnection;
  let readerNc: NatsConnection;
  let chunker: Chunker | null;
  let dir: string;
  let store: CatalogStore;
  const files = new Map<string, ResolvedFile>();
  const revocations = new Set<RevocationListener>();

  async function addFile(name: string, bytes: Buffer): Promise<ResolvedFile> {
    const absPath = join(dir, 'media', name);
    await writeFile(absPath, bytes);
    const file = { absPath, relPath: name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), mime_type: 'application/octet-stream' };
    files.set(file.sha256, file).set(name, file);
    await rescanCatalog(store);
    return file;
  }

  function startChunkerProcess(): ChildProcess {
    return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: chunkerDir,
      env: { ...process.env, NATS_URL: hub.url, NATSTER_CREDS: owner.credsPath, NATSTER_CATALOGS_DIR: join(dir, 'catalogs'), NATSTER_CATALOGS: CATALOG, NATSTER_CHUNK_SIZE: String(CHUNK), NATSTER_CHUNKER_WINDOW: '8', NATSTER_CHUNKER_THREADS: '1', NATSTER_LOG_LEVEL: 'error' },
      stdio: 'ignore',
    });
  }

  async function waitForChunker(): Promise<void> {
    for (let i = 0; i < 100; i++) {
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

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-download-'));
    await writeFile(join(dir, '.keep'), '');
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'media')));
    hub = await startTestHub();
    owner = await hub.createUser('owner');
    reader = await hub.createUser('reader');
    await hub.pushAccount('reader', reader.account, catalogImports(reader.account, CATALOG, owner.account));
    ownerNc = await owner.connect();
    readerNc = await reader.connect();
    store = (await createCatalog(join(dir, 'catalogs'), { name: CATALOG, description: 'downloads under test', root: join(dir, 'media') })).store;
    const catalogs = await loadServedCatalogs(join(dir, 'catalogs'), { names: [CATALOG], logger });
    chunker = await startChunker({ nc: ownerNc, logger, catalogs, threads: 2, chunkSize: CHUNK, window: 8, retransmitAfterMs: 500, idleTimeoutMs: 2_000 });
    const context: RouteContext = {
      nc: ownerNc,
      catalog: CATALOG,
      root: join(dir, 'media'),
      logger,
      resolve: async (key) => files.get(key) ?? null,
      contentId: () => store.contentId,
      onRevoked: (listener) => (revocations.add(listener), () => revocations.delete(listener)),
    };
    const opOf = (subject: string) => unscoped(subject).split('.')[3] ?? null;
    const routes = [downloadRoute(context)];
    await startService(ownerNc, { name: 'test-catalog', version: '0.0.1', description: 'download route under test', queue: 'test-catalog', logger }, [
      { name: 'shared', subject: patterns.catalogOpsOf(CATALOG), opOf, routes },
      { name: 'local', subject: patterns.localCatalogOpsOf(CATALOG), opOf, routes },
    ]);
  });

  afterAll(async () => {
    await chunker?.stop();
    await hub?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads files byte for byte: a few MiB, an empty file, an exact multiple of the chunk size, by hash or path, own or imported', async () => {
    const cases = [
      await addFile('movie.bin', randomBytes(3 * 1024 * 1024 + 123)),
      await addFile('empty.bin', Buffer.alloc(0)),
      await addFile('exact.bin', randomBytes(4 * CHUNK)),
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
    const file = await addFile('lossy.bin', randomBytes(8 * 1024 * 1024));
    const before = chunker!.stats().retransmits;
    const out = join(dir, 'out-lossy.bin');
    const result = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out, faults: { dropRate: 0.05, corruptChunk: 3 } });
    expectSameBytes(await readFile(out), await readFile(file.absPath));
    expect(result.stats.rejected).toBe(1);
    expect(result.stats.dropped).toBeGreaterThan(0);
    expect(chunker!.stats().retransmits - before).toBeGreaterThanOrEqual(result.stats.dropped + 1);
  });

  it('recovers a lost last chunk instead of hanging', async () => {
    const file = await addFile('tail.bin', randomBytes(10 * CHUNK + 5));
    const out = join(dir, 'out-tail.bin');
    const result = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out, faults: { dropChunks: [10] } });
    expect(result.stats.dropped).toBe(1);
    expectSameBytes(await readFile(out), await readFile(file.absPath));
  });

  it('refuses a target xkey with a bad checksum or a weak (low-order) key with a 400', async () => {
    await addFile('keys.bin', randomBytes(1000));
    const weak = encodeXKey(new Uint8Array(32));
    for (const target_xkey of ['X' + 'A'.repeat(55), weak]) {
      const refused = await call(readerNc, subjects.catalog(CATALOG, 'download'), { hash: 'keys.bin', target_xkey }, DownloadReply).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(NatsterError);
      expect(refused).toMatchObject({ code: Codes.badRequest, message: expect.stringMatching(/target_xkey is not a usable xkey/) });
    }
  });

  it('returns exactly the requested byte range', async () => {
    const file = await addFile('range.bin', randomBytes(1024 * 1024));
    const { info, stream } = await downloadStream(readerNc, { catalog: CATALOG, hashOrPath: 'range.bin', offset: 100_000, length: 300_001 });
    expect(info).toMatchObject({ offset: 100_000, length: 300_001, file_size: file.size, sha256: file.sha256 });
    const received = Buffer.from(await new Response(stream).arrayBuffer());
    expectSameBytes(received, (await readFile(file.absPath)).subarray(100_000, 400_001));
    const tail = await openDownload(readerNc, { catalog: CATALOG, hashOrPath: 'range.bin', offset: file.size - 10, length: 1_000 });
    expect(tail.info).toMatchObject({ offset: file.size - 10, length: 10 });
    tail.cancel();
  });

  it('resumes an interrupted download from its partial file', async () => {
    const file = await addFile('resume.bin', randomBytes(6 * 1024 * 1024));
    const out = join(dir, 'out-resume.bin');
    const abort = new AbortController();
    const first = downloadToFile(readerNc, {
      catalog: CATALOG,
      hashOrPath: file.sha256,
      out,
      signal: abort.signal,
      onProgress: (p) => p.bytes > 2 * 1024 * 1024 && abort.abort(),
    });
    await expect(first).rejects.toThrow();
    const second = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out });
    expect(second.resumedFrom).toBeGreaterThan(2 * 1024 * 1024);
    expectSameBytes(await readFile(out), await readFile(file.absPath));
  });

  it('starts over when the owner’s file changed since the partial download', async () => {
    await addFile('changing.bin', randomBytes(3 * 1024 * 1024));
    const out = join(dir, 'out-changing.bin');
    const abort = new AbortController();
    const first = downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: 'changing.bin', out, signal: abort.signal, onProgress: (p) => p.bytes > 1024 * 1024 && abort.abort() });
    await expect(first).rejects.toThrow();
    const changed = await addFile('changing.bin', randomBytes(2 * 1024 * 1024));
    const second = await downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: 'changing.bin', out });
    expect(second.resumedFrom).toBe(0);
    expect(second.info.sha256).toBe(changed.sha256);
    expectSameBytes(await readFile(out), await readFile(changed.absPath));
  });

  it('stops a transfer at once when the share is revoked, and the downloader is told why', async () => {
    await addFile('revoked.bin', randomBytes(16 * 1024 * 1024));
    const download = await openDownload(readerNc, { catalog: CATALOG, hashOrPath: 'revoked.bin' });
    let received = 0;
    let revokedAt = 0;
    const reading = (async () => {
      for await (const chunk of download.chunks) {
        received += chunk.length;
        if (revokedAt === 0) {
          revokedAt = Date.now();
          for (const listener of revocations) listener(reader.account, CATALOG);
        }
      }
    })();
    await expect(reading).rejects.toThrow(/stopped sharing catalog films/);
    expect(Date.now() - revokedAt).toBeLessThan(1_000);
    expect(received).toBeLessThan(16 * 1024 * 1024);
    expect(chunker!.stats().active_transfers).toBe(0);
  });

  it('abandons and frees a transfer whose receiver went away', async () => {
    await addFile('abandoned.bin', randomBytes(4 * 1024 * 1024));
    const goneNc = await reader.connect('reader-gone');
    const before = chunker!.stats().abandoned;
    await openDownload(goneNc, { catalog: CATALOG, hashOrPath: 'abandoned.bin' });
    expect(chunker!.stats().active_transfers).toBe(1);
    await goneNc.close();
    await expect.poll(() => chunker!.stats().abandoned, { timeout: 5_000, interval: 100 }).toBe(before + 1);
    expect(chunker!.stats().active_transfers).toBe(0);
  });

  it('runs 20 concurrent downloads that all complete and verify', async () => {
    const file = await addFile('popular.bin', randomBytes(2 * 1024 * 1024 + 7));
    const expected = await readFile(file.absPath);
    const outs = Array.from({ length: 20 }, (_, i) => join(dir, `out-popular-${i}.bin`));
    await Promise.all(outs.map((out) => downloadToFile(readerNc, { catalog: CATALOG, hashOrPath: file.sha256, out })));
    for (const out of outs) expectSameBytes(await readFile(out), expected);
  });

  it('resumes on another chunker when the chunker process is killed mid-transfer', async () => {
    await chunker!.stop();
    chunker = null;
    const file = await addFile('killed.bin', randomBytes(16 * 1024 * 1024));
    let first: ChildProcess | null = startChunkerProcess();
    await waitForChunker();
    let second: ChildProcess | null = null;
    try {
      const out = join(dir, 'out-killed.bin');
      const result = await downloadToFile(readerNc, {
        catalog: CATALOG,
        hashOrPath: file.sha256,
        out,
        timing: { stallMs: 1_500 },
        onProgress: (p) => {
          if (first && p.bytes > 4 * 1024 * 1024) {
            first.kill('SIGKILL');
            first = null;
            second = startChunkerProcess();
          }
        },
      });
      expect(result.stats.resumes).toBeGreaterThanOrEqual(1);
      expectSameBytes(await readFile(out), await readFile(file.absPath));
    } finally {
      (first as ChildProcess | null)?.kill('SIGKILL');
      (second as ChildProcess | null)?.kill('SIGTERM');
    }
  }, 60_000);
});
