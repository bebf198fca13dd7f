import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Codes, NatsterError } from '@natster/protocol';
import type { NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import { catalogOffline, openDownload, type DownloadOptions } from '../src/index';
import { startSpecSender, type SpecSender, type SpecSenderOptions } from './spec-sender';

const CATALOG = 'films';
const FILE = randomBytes(200_000);
const CHUNK = 16 * 1024;

/** Everything a download yields, as one buffer. */
async function bytesOf(options: Omit<DownloadOptions, 'catalog'>, nc: NatsConnection) {
  const download = await openDownload(nc, { catalog: CATALOG, ...options });
  const parts: Uint8Array[] = [];
  for await (const chunk of download.chunks) parts.push(chunk);
  return { info: download.info, stats: download.stats, bytes: Buffer.concat(parts) };
}

describe('downloads against a sender written from docs/protocol.md, on a real nats-server', () => {
  let th: TestHub;
  let receiverNc: NatsConnection;
  let senderNc: NatsConnection;
  let sender: SpecSender | null = null;
  // The receiver uses another connection: flush so the sender's subscription is on the server first.
  const serve = async (options: Partial<SpecSenderOptions> = {}) => {
    sender = startSpecSender(senderNc, { catalog: CATALOG, file: FILE, chunkSize: CHUNK, window: 4, ...options });
    await senderNc.flush();
    return sender;
  };

  beforeAll(async () => {
    th = await startTestHub();
    receiverNc = await th.connectAs('HUB', 'receiver');
    senderNc = await th.connectAs('HUB', 'spec-sender');
  });
  afterEach(() => sender?.stop());
  afterAll(async () => th?.stop());

  it('downloads a whole file byte for byte, acking within the schema and confirming completion', async () => {
    const s = await serve();
    const { info, bytes } = await bytesOf({ hashOrPath: s.sha256 }, receiverNc);
    expect(Buffer.compare(bytes, FILE)).toBe(0);
    expect(info).toMatchObject({ offset: 0, length: FILE.length, file_size: FILE.length, sha256: s.sha256 });
    expect(s.acks[0]).toEqual({ next: 0, high: 0, last: -1, missing: [] });
    await expect.poll(() => s.finalAcksAnswered, { timeout: 5_000 }).toBe(1);
  });

  it('a range past the end of the file is clamped, and the reply keeps the whole file’s sha256', async () => {
    const s = await serve();
    const { info, bytes } = await bytesOf({ hashOrPath: s.sha256, offset: 150_000, length: 1_000_000 }, receiverNc);
    expect(info).toMatchObject({ offset: 150_000, length: 50_000, sha256: s.sha256 });
    expect(Buffer.compare(bytes, FILE.subarray(150_000))).toBe(0);
  });

  it('refuses a chunk delivered under another index (a stock xkey Open would accept it) and gets the right one again', async () => {
    const s = await serve({ misplace: { at: 2, from: 1 } });
    const { bytes, stats } = await bytesOf({ hashOrPath: s.sha256 }, receiverNc);
    expect(Buffer.compare(bytes, FILE)).toBe(0);
    expect(stats.rejected).toBe(1);
    expect(s.acks.some((a) => a.missing.includes(2))).toBe(true);
  });

  it('an end notice 410 stops the download with the owner’s reason', async () => {
    const s = await serve({ endWith: { code: Codes.gone, reason: 'the owner stopped sharing catalog films with you' } });
    const error = await bytesOf({ hashOrPath: s.sha256 }, receiverNc).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NatsterError);
    expect([(error as NatsterError).code, (error as NatsterError).message]).toEqual([410, 'the owner stopped sharing catalog films with you']);
  });

  it('a refusal of the download request reaches the caller as it was sent', async () => {
    await serve();
    const error = await openDownload(receiverNc, { catalog: CATALOG, hashOrPath: 'f'.repeat(64) }).catch((e: unknown) => e);
    expect([(error as NatsterError).code, (error as NatsterError).message]).toEqual([404, `no file ${'f'.repeat(64)}`]);
  });

  it('nobody serving the catalog: 503 that says the catalog is offline', async () => {
    const error = await openDownload(receiverNc, { catalog: 'nobody', hashOrPath: 'f'.repeat(64), giveUpAfterMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NatsterError);
    expect((error as NatsterError).message).toContain(catalogOffline('nobody'));
  });
});
