import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadToFile, openDownload } from '@natster/client';
import { Codes, TransferEnd, TransferHeaders } from '@natster/protocol';
import { catalogContentId, createCatalog } from '@natster/catalog';
import { createLogger } from '@natster/nats';
import { loadServedCatalogs, startChunker } from '../src/index';
import { rawReceiver, startDownloadWorld, type DownloadWorld } from './download-world';

const CHUNK = 64 * 1024;
const WINDOW = 32;
const RETRANSMIT_MS = 200;
const logLines: string[] = [];
const logger = createLogger('flow-control-test', { level: 'info', write: (line) => logLines.push(line) });
const big = randomBytes(4 * 1024 * 1024);
const tiny = Buffer.from('6 byte');

const grant = { next: 0, high: 0, last: -1, missing: [] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Flow control against misbehaving and unlucky receivers, on a real
 * nats-server with the real catalog server and chunker: receivers that go
 * silent, malformed acks, a lost final ack.
 */
describe('chunker flow control', () => {
  let world: DownloadWorld;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-flow-'));
    world = await startDownloadWorld({
      files: { 'big.bin': big, 'tiny.txt': tiny },
      readers: ['mallory', 'reader'],
      logger,
      // the budget is exactly four silent windows; receivers idle for 10 s are dropped
      chunker: { threads: 2, chunkSize: CHUNK, window: WINDOW, maxInflightBytes: 4 * WINDOW * CHUNK, retransmitAfterMs: RETRANSMIT_MS, idleTimeoutMs: 10_000 },
    });
  });

  afterAll(async () => {
    await world?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('completes a small download at once while four receivers of another account ack once and go silent', async () => {
    const mallory = world.readers.get('mallory')!.nc;
    const silent = await Promise.all([0, 1, 2, 3].map(() => rawReceiver(mallory, 'big.bin')));
    for (const receiver of silent) receiver.ack(grant);
    // they were sent what they may hold, and hold it
    await expect.poll(() => silent.every((r) => r.messages.length >= 1), { timeout: 3_000 }).toBe(true);
    await sleep(300);
    const started = Date.now();
    const out = join(dir, 'tiny.txt');
    await downloadToFile(world.readers.get('reader')!.nc, { catalog: 'films', hashOrPath: 'tiny.txt', out });
    const took = Date.now() - started;
    expect((await readFile(out)).toString()).toBe('6 byte');
    expect(took).toBeLessThan(3_000);
    for (const receiver of silent) receiver.ack({ ...grant, cancel: true });
  });

  it('probes a silent receiver at growing intervals instead of resending its window', async () => {
    const receiver = await rawReceiver(world.readers.get('mallory')!.nc, 'big.bin');
    receiver.ack(grant);
    await sleep(4_000);
    receiver.ack({ ...grant, cancel: true });
    const chunks = receiver.messages.filter(({ msg }) => msg.headers?.has(TransferHeaders.chunk));
    const resent = chunks.slice(WINDOW);
    // the window once, then probes at ~0.2, 0.6, 1.4, 3.0 s after the grant (not the window every 0.2 s)
    const indexOf = ({ msg }: { msg: (typeof chunks)[number]['msg'] }) => Number(msg.headers!.get(TransferHeaders.chunk));
    expect(chunks.slice(0, WINDOW).map(indexOf).sort((a, b) => a - b)).toEqual([...Array(WINDOW).keys()]);
    expect(resent.length).toBeGreaterThanOrEqual(3);
    expect(resent.length).toBeLessThanOrEqual(5);
    const gaps = resent.slice(1).map((r, i) => r.at - resent[i]!.at);
    // each gap longer than the one before (the chunker's 250 ms tick blurs the doubling)
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    expect(gaps.at(-1)!).toBeGreaterThanOrEqual(2 * gaps[0]!);
  });

  it('ends a transfer with a 400 notice, and logs a warning, when an ack is malformed', async () => {
    const malformed = [
      { ...grant, missing: null },
      { ...grant, extra: true },
      { next: 0, high: 0, last: -1 },
      { next: 5, high: 3, last: 2, missing: [] },
    ];
    for (const body of malformed) {
      const receiver = await rawReceiver(world.readers.get('reader')!.nc, 'big.bin');
      const before = logLines.length;
      receiver.ack(body);
      await expect.poll(() => receiver.messages.find(({ msg }) => msg.headers?.has(TransferHeaders.end)), { timeout: 2_000 }).toBeDefined();
      const end = receiver.messages.find(({ msg }) => msg.headers?.has(TransferHeaders.end))!.msg;
      expect(end.headers!.get(TransferHeaders.end)).toBe(String(Codes.badRequest));
      expect(TransferEnd.decode(end.data)).toMatchObject({ code: Codes.badRequest, reason: expect.stringMatching(/ack/) });
      const warned = logLines.slice(before).map((line) => JSON.parse(line) as { level: string; code?: number; transfer?: string });
      expect(warned).toContainEqual(expect.objectContaining({ level: 'warn', code: Codes.badRequest, transfer: receiver.reply.transfer_id }));
    }
    expect(world.chunker.stats().active_transfers).toBe(0);
  });

  it('completes cleanly when the receiver’s final ack is lost: no resends, no timeout', async () => {
    // (the receiver repeats its final ack every re-ack period, here shorter than the sender's resend period, as by default: 0.5 s vs 2 s)
    const before = world.chunker.stats();
    const out = join(dir, 'final.bin');
    const result = await downloadToFile(world.readers.get('reader')!.nc, { catalog: 'films', hashOrPath: 'big.bin', out, faults: { dropFinalAck: true }, timing: { reackMs: RETRANSMIT_MS / 2 } });
    expect(result.info.sha256).toBe(world.files.get('big.bin')!.sha256);
    const finished = world.chunker.stats();
    await expect.poll(() => world.chunker.stats().completed, { timeout: 2_000, interval: 50 }).toBe(before.completed + 1);
    // nothing more is sent to the finished receiver, and it is not counted as gone silent
    await sleep(5 * RETRANSMIT_MS);
    expect(world.chunker.stats()).toMatchObject({ retransmits: finished.retransmits, abandoned: before.abandoned, active_transfers: 0 });
  });

  it('tells the receiver the credit window in the download reply', async () => {
    const receiver = await rawReceiver(world.readers.get('reader')!.nc, 'tiny.txt');
    expect(receiver.reply.window).toBe(WINDOW);
    receiver.ack({ ...grant, cancel: true });
  });

  it('takes no transfer of a catalog it does not serve, though it shares the owner’s account and queue group', async () => {
    // a second chunker of the same owner, serving another catalog (as a second `catalog serve` would)
    await mkdir(join(dir, 'music'));
    await writeFile(join(dir, 'music', 'song.bin'), randomBytes(1000));
    await createCatalog(join(dir, 'catalogs'), { name: 'music', description: 'another catalog', root: join(dir, 'music') });
    const music = await startChunker({ nc: await world.owner.connect('music-chunker'), logger, threads: 1, catalogs: await loadServedCatalogs(join(dir, 'catalogs'), { names: ['music'], logger }) });
    try {
      const before = world.chunker.stats().completed;
      for (let i = 0; i < 8; i++) await downloadToFile(world.readers.get('reader')!.nc, { catalog: 'films', hashOrPath: 'tiny.txt', out: join(dir, `tiny-${i}.txt`) });
      expect(world.chunker.stats().completed - before).toBe(8);
      expect(music.stats()).toMatchObject({ completed: 0, chunks_sent: 0 });
    } finally {
      await music.stop();
    }
  });

  it('takes no transfer when its same-named copy has other content (another host’s own catalog), and its share once the copy matches', async () => {
    // the "NAS": the same files but one, under another folder, catalogued there with `catalog new films`
    const nas = join(dir, 'nas');
    await mkdir(join(nas, 'films'), { recursive: true });
    await writeFile(join(nas, 'films', 'big.bin'), big);
    await writeFile(join(nas, 'films', 'tiny.txt'), 'other!');
    await createCatalog(join(nas, 'catalogs'), { name: 'films', description: 'the NAS’s own', root: join(nas, 'films') });
    const served = await loadServedCatalogs(join(nas, 'catalogs'), { names: ['films'], roots: { films: join(nas, 'films') }, logger });
    const other = await startChunker({ nc: await world.owner.connect('nas-chunker'), logger, threads: 1, catalogs: served });
    const download = (i: number) => downloadToFile(world.readers.get('reader')!.nc, { catalog: 'films', hashOrPath: 'tiny.txt', out: join(dir, `nas-${i}.txt`) });
    try {
      for (let i = 0; i < 8; i++) expect((await download(i)).info.sha256).toBe(createHash('sha256').update(tiny).digest('hex'));
      expect(other.stats()).toMatchObject({ completed: 0, chunks_sent: 0 });

      // an identical copy of the owner's catalog arrives (atomically, as `natster context import` writes it) and the files match
      await writeFile(join(nas, 'films', 'tiny.txt'), tiny);
      const media = dirname(world.files.get('tiny.txt')!.absPath);
      await writeFile(join(nas, 'catalogs', 'films.json.tmp'), await readFile(join(media, '..', 'catalogs', 'films.json')));
      await rename(join(nas, 'catalogs', 'films.json.tmp'), join(nas, 'catalogs', 'films.json'));
      const owners = catalogContentId([...world.files.values()].map((f) => ({ hash: f.sha256 })));
      await expect.poll(() => served.current()[0]?.contentId, { timeout: 3_000 }).toBe(owners);
      await expect.poll(() => logLines.some((l) => l.includes('taking transfers of catalog content') && l.includes(owners)), { timeout: 3_000 }).toBe(true);
      for (let i = 8; i < 24; i++) await download(i);
      expect(other.stats().completed).toBeGreaterThan(0);
    } finally {
      await other.stop();
    }
  });

  // last: it stops the chunker
  it('on a clean stop takes no new transfer and lets the running one finish without a resume', async () => {
    const reader = world.readers.get('reader')!.nc;
    const download = await openDownload(reader, { catalog: 'films', hashOrPath: 'big.bin' });
    const chunks = download.chunks[Symbol.asyncIterator]();
    const parts = [(await chunks.next()).value as Uint8Array];
    const stopping = world.chunker.stop();
    await sleep(100);
    await expect(openDownload(reader, { catalog: 'films', hashOrPath: 'tiny.txt' })).rejects.toThrow(/no chunker has catalog films as it is now/);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) parts.push(next.value);
    expect(Buffer.compare(Buffer.concat(parts), big)).toBe(0);
    expect(download.stats.resumes).toBe(0);
    await stopping;
    expect(world.chunker.stats()).toMatchObject({ active_transfers: 0 });
  });
});
