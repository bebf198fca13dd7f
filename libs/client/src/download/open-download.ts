import { setTimeout as sleep } from 'node:timers/promises';
import { createXKey } from '@natster/crypto';
import { Codes, DownloadReply, NatsterError, subjects } from '@natster/protocol';
import { call, onReconnects, type NatsConnection } from '@natster/nats';
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
  /** Told when the download stalls (hub or owner's server gone) and when it goes on. */
  onEvent?: (event: DownloadEvent) => void;
  signal?: AbortSignal;
  /**
   * A transfer that broke off (hub restarted, owner's server or chunker gone)
   * is resumed again and again; the download fails only after this long
   * without a byte (default 10 minutes).
   */
  giveUpAfterMs?: number;
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

/** What interrupts a download and what ends the interruption, for the user's eyes. */
export type DownloadEvent =
  /** The connection to the hub dropped; the client reconnects by itself. */
  | { type: 'hub-lost' }
  | { type: 'hub-back' }
  /** The transfer broke off while the hub was reachable: the owner's catalog server or chunker went away. */
  | { type: 'owner-gone'; reason: string }
  /** A new transfer continues the download from `offset` (bytes of the range already received). */
  | { type: 'resumed'; offset: number };

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

/** The download made no progress for `giveUpAfterMs`; `cause` is the last failure. */
export class GaveUpError extends NatsterError {
  override name = 'GaveUpError';
}

/** Longer than the catalog server's own call to a chunker (chunker-client.ts), so its answer arrives first. */
const REQUEST_TIMEOUT_MS = 6_000;
export const DEFAULT_GIVE_UP_AFTER_MS = 10 * 60_000;
/** Waits between attempts to resume grow to this (plus each request's own timeout while nobody answers). */
const MAX_RETRY_WAIT_MS = 4_000;

const defaultTiming: ReceiverTiming = { reackMs: 500, stallMs: 5_000, ackEvery: 4 };

/**
 * Starts a download and returns the file's facts with its bytes as an async
 * iterable. A transfer that breaks off is resumed from the last byte
 * delivered, on a new transfer with new keys, for as long as the hub or the
 * owner's server come back within `giveUpAfterMs`.
 */
export async function openDownload(nc: NatsConnection, options: DownloadOptions): Promise<Download> {
  const timing = { ...defaultTiming, ...options.timing };
  const giveUpAfterMs = options.giveUpAfterMs ?? DEFAULT_GIVE_UP_AFTER_MS;
  const stats = { ...emptyStats(), resumes: 0 };
  // cancel() also ends a wait between attempts, so a cancelled stream never hangs on a retry.
  const cancelled = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, cancelled.signal]) : cancelled.signal;

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
    let progressAt = Date.now();
    let failures = 0;
    // Which party a stalled transfer is blamed on: our link to the hub, or the owner's server.
    let hubConnected = true;
    const stopWatching = onReconnects(nc, {
      lost: () => {
        hubConnected = false;
        options.onEvent?.({ type: 'hub-lost' });
      },
      back: () => {
        hubConnected = true;
        options.onEvent?.({ type: 'hub-back' });
      },
    });
    try {
      while (true) {
        try {
          if (!receiver) {
            receiver = await request(position, end - position);
            stats.resumes++;
            options.onEvent?.({ type: 'resumed', offset: position - info.offset });
          }
          if (receiver.reply.sha256 !== info.sha256) {
            throw new NatsterError(Codes.conflict, 'the file changed on the owner’s side during the download; download it again');
          }
          for await (const chunk of receiver.chunks(signal)) {
            position += chunk.length;
            progressAt = Date.now();
            failures = 0;
            options.onProgress?.({ bytes: position - info.offset, total: info.length, resumes: stats.resumes });
            yield chunk;
          }
          return;
        } catch (error) {
          // Frees the transfer on the sender too (a file that changed, say); a broken-off one is closed already.
          receiver?.cancel();
          receiver = null;
          if (signal.aborted) throw signal.reason ?? error;
          if (!resumable(error) || nc.isClosed()) throw error;
          const why = hubConnected ? (error as Error).message : 'the connection to the hub was lost';
          if (Date.now() - progressAt >= giveUpAfterMs) {
            throw new GaveUpError(Codes.timeout, `no data for ${describeDuration(giveUpAfterMs)}: ${why}`, { cause: error });
          }
          // Said once per interruption; the hub's own loss is reported by the watcher as it happens.
          if (failures++ === 0 && hubConnected) options.onEvent?.({ type: 'owner-gone', reason: why });
          await sleep(Math.min(MAX_RETRY_WAIT_MS, 250 * 2 ** failures), undefined, { signal }).catch(() => {
            throw signal.reason;
          });
        }
      }
    } finally {
      stopWatching();
    }
  }

  return {
    info,
    chunks: chunks(),
    stats,
    cancel: () => {
      cancelled.abort(new NatsterError(Codes.badRequest, 'download cancelled'));
      receiver?.cancel();
    },
  };
}

const describeDuration = (ms: number): string => (ms >= 120_000 ? `${Math.round(ms / 60_000)} minutes` : `${Math.round(ms / 1000)} s`);

/** Broke-off transfers resume; so does "nobody answers" while a server or chunker comes back. */
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
