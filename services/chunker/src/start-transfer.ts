import { access, constants } from 'node:fs/promises';
import { boxKey, createXKey, decodeXKey, transferSalt } from '@natster/crypto';
import { Codes, NatsterError, scoped, subjects, type ChunkerStartReply, type ChunkerStartRequest } from '@natster/protocol';
import { nuid } from '@natster/nats';
import type { ServedCatalogs } from './served-catalogs';
import type { TransferPlan } from './transfer';

/**
 * The chunker's `start` handler: finds the file by catalog and hash in the
 * catalogs served here, checks the range, makes the single-use sender xkey
 * and the transfer's box key, and hands the plan to `onStarted`.
 */
export function startTransferOf(options: {
  catalogs: ServedCatalogs;
  chunkSize: number;
  window: number;
  onStarted(plan: TransferPlan): void;
}): (body: ChunkerStartRequest) => Promise<ChunkerStartReply> {
  const { chunkSize, window } = options;
  return async (body) => {
    const file = await options.catalogs.resolve(body.catalog, body.hash);
    if (!file) throw new NatsterError(Codes.notFound, `file ${body.hash} of catalog ${body.catalog} is not on this host's disk; rescan the catalog`);
    if (body.offset + body.length > file.size) {
      throw new NatsterError(Codes.badRequest, `range ${body.offset}+${body.length} is beyond the end of the file (${file.size} bytes)`);
    }
    await access(file.path, constants.R_OK).catch((cause: unknown) => {
      throw new NatsterError(Codes.internal, 'the owner cannot read the file', { cause });
    });
    const sender = createXKey();
    let key: Uint8Array;
    try {
      key = boxKey(decodeXKey(body.target_xkey), sender.secretKey);
    } catch (cause) {
      throw new NatsterError(Codes.badRequest, 'target_xkey is not a usable xkey (bad checksum or a weak key); make a fresh one for every download', { cause });
    } finally {
      sender.secretKey.fill(0);
      sender.seed.fill(0);
    }
    const id = nuid.next();
    const media = subjects.media(body.catalog, id);
    const ack = subjects.transferAck(body.catalog, id);
    const plan: TransferPlan = {
      id,
      catalog: body.catalog,
      downloader: body.downloader,
      path: file.path,
      offset: body.offset,
      length: body.length,
      chunkSize,
      total: Math.ceil(body.length / chunkSize),
      salt: transferSalt(id),
      key,
      mediaSubject: body.downloader ? scoped(body.downloader, media) : media,
      ackSubject: body.downloader ? scoped(body.downloader, ack) : ack,
    };
    options.onStarted(plan);
    return { transfer_id: id, sender_xkey: sender.publicKey, chunk_size: chunkSize, total_chunks: plan.total, window };
  };
}
