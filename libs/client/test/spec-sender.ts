import { createHash, randomBytes } from 'node:crypto';
import { createXKey, decodeXKey, seal } from '@natster/crypto';
import { DownloadReply, DownloadRequest, TransferAck, TransferEnd, TransferHeaders, ok, fail, subjects, type TransferAck as Ack } from '@natster/protocol';
import { decodeJson, encodeJson, headers, type Msg, type NatsConnection } from '@natster/nats';

/**
 * A catalog server and chunker written from docs/protocol.md alone (the
 * owner's own view: no account token), so the receiver in libs/client is
 * tested against the specification rather than against our own sender.
 * Nonces and boxes are computed here from the spec: SHA-256 of the transfer
 * id, 16 bytes, then the index as a big-endian u64; a full crypto_box.
 */
export interface SpecSenderOptions {
  catalog: string;
  file: Uint8Array;
  chunkSize: number;
  window: number;
  /** Instead of chunk `at` the first time, send chunk `from`'s sealed bytes under `at`'s header. */
  misplace?: { at: number; from: number };
  /** End every transfer at its first ack with this notice. */
  endWith?: { code: number; reason: string };
}

export interface SpecSender {
  sha256: string;
  /** Every ack received, as decoded. */
  acks: Ack[];
  /** How many final acks arrived as requests (and were answered with code 200). */
  finalAcksAnswered: number;
  stop(): void;
}

export function specNonce(transferId: string, index: number): Uint8Array {
  const nonce = new Uint8Array(24);
  nonce.set(createHash('sha256').update(transferId, 'utf8').digest().subarray(0, 16), 0);
  new DataView(nonce.buffer).setBigUint64(16, BigInt(index), false);
  return nonce;
}

export function startSpecSender(nc: NatsConnection, options: SpecSenderOptions): SpecSender {
  const { catalog, file, chunkSize, window } = options;
  const sha256 = createHash('sha256').update(file).digest('hex');
  const state: SpecSender = { sha256, acks: [], finalAcksAnswered: 0, stop: () => downloads.unsubscribe() };

  const downloads = nc.subscribe(subjects.catalog(catalog, 'download'), {
    callback: (_err, msg) => {
      let body;
      try {
        body = DownloadRequest.decode(msg.data);
      } catch (error) {
        msg.respond(encodeJson(fail(400, (error as Error).message)));
        return;
      }
      if (body.hash !== sha256) return void msg.respond(encodeJson(fail(404, `no file ${body.hash}`)));
      const offset = body.offset ?? 0;
      if (offset > file.length) return void msg.respond(encodeJson(fail(400, 'offset beyond the end of the file')));
      const length = Math.min(body.length ?? file.length - offset, file.length - offset);
      const id = randomBytes(12).toString('hex');
      const total = Math.ceil(length / chunkSize);
      const sender = createXKey();
      const receiver = decodeXKey(body.target_xkey);
      const chunk = (i: number) => seal(file.subarray(offset + i * chunkSize, offset + Math.min((i + 1) * chunkSize, length)), specNonce(id, i), receiver, sender.secretKey);
      const publish = (headerIndex: number, payload: Uint8Array) => {
        const h = headers();
        h.set(TransferHeaders.chunk, String(headerIndex));
        h.set(TransferHeaders.total, String(total));
        nc.publish(subjects.media(catalog, id), payload, { headers: h });
      };
      let sent = 0;
      let misplaced = false;
      const acks = nc.subscribe(subjects.transferAck(catalog, id), {
        callback: (_e, m: Msg) => {
          const ack = TransferAck.check(decodeJson(m.data));
          state.acks.push(ack);
          if (options.endWith) {
            const h = headers();
            h.set(TransferHeaders.end, String(options.endWith.code));
            nc.publish(subjects.media(catalog, id), encodeJson(TransferEnd.check(options.endWith)), { headers: h });
            return void acks.unsubscribe();
          }
          if (ack.cancel) return void acks.unsubscribe();
          if (ack.next >= total) {
            if (m.reply) {
              state.finalAcksAnswered++;
              m.respond(encodeJson(TransferEnd.check({ code: 200, reason: 'complete' })));
            }
            return void acks.unsubscribe();
          }
          for (const i of ack.missing) publish(i, chunk(i));
          for (; sent < Math.min(total, ack.next + window); sent++) {
            const { misplace } = options;
            if (misplace && !misplaced && sent === misplace.at) {
              misplaced = true;
              publish(sent, chunk(misplace.from));
            } else publish(sent, chunk(sent));
          }
        },
      });
      const reply = { transfer_id: id, sender_xkey: sender.publicKey, chunk_size: chunkSize, total_chunks: total, window, offset, length, file_size: file.length, sha256, mime_type: 'application/octet-stream' };
      msg.respond(encodeJson(ok(DownloadReply.check(reply))));
    },
  });
  return state;
}
