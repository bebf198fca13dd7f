import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkNonce, createXKey, decodeXKey, seal, transferSalt } from '@natster/crypto';
import { DownloadRequest, REORDER_TOLERANCE, TransferAck, TransferHeaders, ok, subjects, type TransferAck as Ack } from '@natster/protocol';
import { encodeJson, headers, type NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import { openDownload } from '../src/index';

const CATALOG = 'films';
const CHUNK = 1024;
const TOTAL = 24;
const FILE = randomBytes(TOTAL * CHUNK);

/**
 * A sender that publishes every chunk at once in the order given (as the
 * chunker's parallel sealing can), drops the ones listed, and records the
 * acks. Serves one download at a time on the owner's own subjects.
 */
async function serveInOrder(nc: NatsConnection, order: number[], lost: number[] = []): Promise<Ack[]> {
  const acks: Ack[] = [];
  const sha256 = createHash('sha256').update(FILE).digest('hex');
  nc.subscribe(subjects.catalog(CATALOG, 'download'), {
    max: 1,
    callback: (_err, msg) => {
      const body = DownloadRequest.decode(msg.data);
      const id = randomBytes(12).toString('hex');
      const sender = createXKey();
      const publish = (i: number) => {
        const h = headers();
        h.set(TransferHeaders.chunk, String(i));
        h.set(TransferHeaders.total, String(TOTAL));
        const plain = FILE.subarray(i * CHUNK, (i + 1) * CHUNK);
        nc.publish(subjects.media(CATALOG, id), seal(plain, chunkNonce(transferSalt(id), i), decodeXKey(body.target_xkey), sender.secretKey), { headers: h });
      };
      let granted = false;
      nc.subscribe(subjects.transferAck(CATALOG, id), {
        callback: (_e, m) => {
          const ack = TransferAck.decode(m.data);
          acks.push(ack);
          if (m.reply) m.respond(encodeJson({ code: 200, reason: 'complete' }));
          if (!granted) {
            granted = true;
            for (const i of order) if (!lost.includes(i)) publish(i);
          }
          for (const i of ack.missing) if (lost.includes(i)) publish(i);
        },
      });
      const reply = { transfer_id: id, sender_xkey: sender.publicKey, chunk_size: CHUNK, total_chunks: TOTAL, window: TOTAL, offset: 0, length: FILE.length, file_size: FILE.length, sha256, mime_type: 'application/octet-stream' };
      msg.respond(encodeJson(ok(reply)));
    },
  });
  await nc.flush();
  return acks;
}

async function download(nc: NatsConnection): Promise<Buffer> {
  const d = await openDownload(nc, { catalog: CATALOG, hashOrPath: createHash('sha256').update(FILE).digest('hex') });
  const parts: Uint8Array[] = [];
  for await (const chunk of d.chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('the receiver’s acks and the reorder tolerance, against a hand-driven sender on a real nats-server', () => {
  let th: TestHub;
  let receiverNc: NatsConnection;
  let senderNc: NatsConnection;

  beforeAll(async () => {
    th = await startTestHub({ demoCatalog: null });
    const owner = await th.createUser('owner');
    receiverNc = await owner.connect('receiver');
    senderNc = await owner.connect('sender');
  });
  afterAll(async () => th?.stop());

  it('reports no gap for a chunk overtaken by fewer than REORDER_TOLERANCE later ones', async () => {
    // pairs swapped (1 before 0, 3 before 2, 5 before 4), and chunk 6 overtaken by REORDER_TOLERANCE - 1 others
    const overtaking = Array.from({ length: REORDER_TOLERANCE - 1 }, (_, i) => 7 + i);
    const rest = Array.from({ length: TOTAL - 6 - REORDER_TOLERANCE }, (_, i) => 6 + REORDER_TOLERANCE + i);
    const order = [1, 0, 3, 2, 5, 4, ...overtaking, 6, ...rest];
    const acks = await serveInOrder(senderNc, order);
    expect(Buffer.compare(await download(receiverNc), FILE)).toBe(0);
    await expect.poll(() => acks.some((ack) => ack.next === TOTAL)).toBe(true);
    expect(acks.filter((ack) => ack.missing.length > 0)).toEqual([]);
  });

  it('acks a real loss at once, as soon as REORDER_TOLERANCE later chunks arrived', async () => {
    const acks = await serveInOrder(senderNc, [...Array(TOTAL).keys()], [3]);
    expect(Buffer.compare(await download(receiverNc), FILE)).toBe(0);
    await expect.poll(() => acks.some((ack) => ack.next === TOTAL)).toBe(true);
    // the first ack naming the loss is the one chunk 3 + REORDER_TOLERANCE triggered
    expect(acks.find((ack) => ack.missing.includes(3))).toMatchObject({ high: 3 + REORDER_TOLERANCE + 1, missing: [3] });
  });
});
