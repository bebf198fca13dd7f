import { setTimeout as sleep } from 'node:timers/promises';
import { createXKey } from '@natster/crypto';
import { Codes, DownloadReply, NatsterError, subjects } from '@natster/protocol';
import { call, type NatsConnection } from '@natster/nats';
import { catalogOffline } from '../catalog';
import type { TestFaults } from './faults';
import { ResumableError, TransferReceiver, emptyStats, type ReceiverStats, type ReceiverTiming } from './transfer-receiver';

export interface DownloadOptions {
  /** The catalog's name (imported, or the caller's own: the subjects are the same). */
  catalog: string;
  /** The file's SHA-256, or its path relative to the catalog root. */
  hashOrPath: string;
  /** First byte wanted (default 0). */
  offset?: number;
  /** Bytes wanted (default: to the end of the file). */
  length?: number;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** How many times a transfer that broke off (chunker gone, sender silent) is resumed. */
  maxResumes?: number;
  timing?: Partial<ReceiverTiming>;
  /** Test-only fault switches (see TestFaults). */
  faults?: TestFaults;
}

export interface DownloadProgress {
  /** Bytes of the requested range received so far. */
  bytes: number;
  /** Bytes of the requested range. */
  total: number;
  resumes: number;
}

/** What the catalog said about the file and the range served. */
export interface DownloadInfo {
  file_size: number;
  sha256: string;
  mime_type: string;
  offset: number;
  length: number;
}

export interface Download {
  info: DownloadInfo;
  /** The range's bytes, in order; iterate once. Breaking off cancels the transfer. */
  chunks: AsyncIterable<Uint8Array>;
  stats: ReceiverStats & { resumes: number };
  /** Stops the download (also before iterating) and frees its transfer. */
  cancel(): void;
}

/** Longer than the catalog server's own call to a chunker (chunker-client.ts), so its answer arrives first. */
const REQUEST_TIMEOUT_MS = 6_000;

const defaultTiming: ReceiverTiming = { reackMs: 500, stallMs: 5_000, ackEvery: 4 };

/**
 * Starts a download and returns the file's facts with its bytes as an async
 * iterable. A transfer that breaks off is resumed from the last byte
 * delivered, on a new transfer with new keys.
 */
export async function openDownload(nc: NatsConnection, options: DownloadOptions): Promise<Download> {
  const timing = { ...defaultTiming, ...options.timing };
  const maxResumes = options.maxResumes ?? 10;
  const stats = { ...emptyStats(), resumes: 0 };

  const request = async (offset: number, length: number | undefined) => {
    const xkey = createXKey();
    const reply = await call(
      nc,
      subjects.catalog(options.catalog, 'download'),
      { hash: options.hashOrPath, target_xkey: xkey.publicKey, offset, ...(length === undefined ? {} : { length }) },
      DownloadReply,
      { timeout: REQUEST_TIMEOUT_MS, offline: catalogOffline(options.catalog) },
    ).catch((error: unknown) => {
      // nats-server 2.9 drops a request to a stopped server across an import instead of answering "no responders".
      if (error instanceof NatsterError && error.code === Codes.timeout) throw new NatsterError(Codes.unavailable, catalogOffline(options.catalog), { cause: error });
      throw error;
    });
    return new TransferReceiver(nc, options.catalog, reply, xkey.secretKey, stats, timing, options.faults);
  };

  const first = await request(options.offset ?? 0, options.length);
  const reply = first.reply;
  const info: DownloadInfo = { file_size: reply.file_size, sha256: reply.sha256, mime_type: reply.mime_type, offset: reply.offset, length: reply.length };
  const end = info.offset + info.length;

  let receiver: TransferReceiver | null = first;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    let position = info.offset;
    while (true) {
      try {
        receiver ??= await request(position, end - position);
        if (receiver.reply.sha256 !== info.sha256) {
          throw new NatsterError(Codes.conflict, 'the file changed on the owner’s side during the download; download it again');
        }
        for await (const chunk of receiver.chunks(options.signal)) {
          position += chunk.length;
          options.onProgress?.({ bytes: position - info.offset, total: info.length, resumes: stats.resumes });
          yield chunk;
        }
        return;
      } catch (error) {
        if (!resumable(error) || stats.resumes >= maxResumes || options.signal?.aborted) throw error;
        stats.resumes++;
        receiver = null;
        await sleep(Math.min(2_000, 100 * 2 ** stats.resumes), undefined, options.signal ? { signal: options.signal } : {});
      }
    }
  }

  return { info, chunks: chunks(), stats, cancel: () => receiver?.cancel() };
}

/** Broke-off transfers resume; so does "nobody answers" while a new chunker comes up. */
function resumable(error: unknown): boolean {
  return error instanceof ResumableError || (error instanceof NatsterError && (error.code === Codes.unavailable || error.code === Codes.timeout));
}

/** The range as a web ReadableStream (e.g. an HTTP Range response in the portal). */
export async function downloadStream(nc: NatsConnection, options: DownloadOptions): Promise<{ info: DownloadInfo; stream: ReadableStream<Uint8Array> }> {
  const download = await openDownload(nc, options);
  const iterator = download.chunks[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      download.cancel();
      await iterator.return?.();
    },
  });
  return { info: download.info, stream };
}
