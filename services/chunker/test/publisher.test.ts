import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEAL_OVERHEAD, boxKey, createXKey, decodeXKey, openChunk, randomBytes, transferKeys, transferSalt } from '@natster/crypto';
import { Codes, TransferEnd, TransferHeaders } from '@natster/protocol';
import { createLogger, type Msg, type NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import { createPublisher, type Publisher } from '../src/publisher';
import { createSealPool, type SealPool } from '../src/seal-pool';
import { Transfer, type TransferPlan } from '../src/transfer';

const CHUNK = 64 * 1024;
const logger = createLogger('publisher-test', { level: 'error' });

/** The publisher on a real nats-server with a real seal pool: what a receiver gets on the media subject. */
describe('the chunker publisher', () => {
  let hub: TestHub;
  let nc: NatsConnection;
  let pool: SealPool;
  let dir: string;
  let content: Uint8Array;
  let publisher: Publisher;
  const running = new Set<Transfer>();
  const failed: unknown[] = [];
  let ids = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-publisher-'));
    content = randomBytes(2 * CHUNK + 100);
    await writeFile(join(dir, 'media.bin'), content);
    hub = await startTestHub({ demoCatalog: null });
    nc = await (await hub.createUser('owner')).connect();
    pool = createSealPool({ threads: 1, slotBytes: SEAL_OVERHEAD + CHUNK });
    publisher = createPublisher({ nc, pool, logger, isRunning: (t) => running.has(t), onSealFailed: (_t, error) => failed.push(error) });
  });

  afterAll(async () => {
    await pool?.destroy();
    await hub?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A transfer of the test file to a fresh receiver key, and what the receiver needs to open it. */
  function transfer(path = join(dir, 'media.bin')): { t: Transfer; messages: Msg[]; open(index: number, sealed: Uint8Array): Uint8Array | null } {
    const id = `T${String(++ids).padStart(8, '0')}`;
    const receiver = createXKey();
    const sender = createXKey();
    const plan: TransferPlan = {
      id,
      catalog: 'films',
      downloader: null,
      path,
      offset: 0,
      length: content.length,
      chunkSize: CHUNK,
      total: 3,
      salt: transferSalt(id),
      key: boxKey(decodeXKey(receiver.publicKey), sender.secretKey),
      mediaSubject: `natster.media.films.${id}`,
      ackSubject: `natster.catalog.films.transfer.${id}.ack`,
    };
    const messages: Msg[] = [];
    nc.subscribe(plan.mediaSubject, { callback: (_err, msg) => messages.push(msg) });
    const keys = transferKeys(id, decodeXKey(sender.publicKey), receiver.secretKey);
    const t = new Transfer(plan, 8, 0);
    return { t, messages, open: (index, sealed) => openChunk(keys, index, sealed) };
  }

  it('publishes sealed chunks with their index and count, which the receiver opens at that index', async () => {
    const { t, messages, open } = transfer();
    running.add(t);
    for (const index of [2, 0, 1]) publisher.send({ transfer: t, index, resend: false });
    await expect.poll(() => messages.length).toBe(3);
    for (const msg of messages) {
      const index = Number(msg.headers!.get(TransferHeaders.chunk));
      expect(msg.headers!.get(TransferHeaders.total)).toBe('3');
      expect(open(index, msg.data)).toEqual(content.subarray(index * CHUNK, (index + 1) * CHUNK));
    }
    expect(publisher.counters.chunks_sent).toBe(3);
  });

  it('drops chunks sealed for a transfer that ended meanwhile', async () => {
    const { t, messages } = transfer();
    publisher.send({ transfer: t, index: 0, resend: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(messages).toHaveLength(0);
  });

  it('reports a chunk it cannot read, and sends an end notice the receiver can parse', async () => {
    const { t, messages } = transfer(join(dir, 'gone.bin'));
    running.add(t);
    publisher.send({ transfer: t, index: 0, resend: false });
    await expect.poll(() => failed.length).toBe(1);
    publisher.end(t.plan, Codes.gone, 'the owner stopped sharing');
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]!.headers!.get(TransferHeaders.end)).toBe('410');
    expect(TransferEnd.decode(messages[0]!.data)).toEqual({ code: Codes.gone, reason: 'the owner stopped sharing' });
  });
});
