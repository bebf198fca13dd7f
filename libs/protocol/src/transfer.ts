import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, CatalogName, Sha256Hex, XKey } from './common';
import { message } from './validate';

/**
 * The transfer protocol (ARCHITECTURE.md section 5): download request and
 * reply, the chunker's start/stop messages, the receiver's flow-control ack
 * and the end-of-transfer notice. Chunks themselves are raw xkv1 bytes with
 * the headers below.
 */

/** Largest chunk a transfer may use: the hub's max_payload is 8 MiB, and a chunk adds a box and headers. */
export const MAX_CHUNK_SIZE = 4 * 1024 * 1024;
/** Most missing indices one ack lists; the rest are asked for by later acks. */
export const MAX_ACK_MISSING = 1024;
/**
 * Reorder tolerance, in chunks. Chunks are sealed in parallel, so they may
 * arrive slightly out of order (4 before 3). A gap at chunk `i` counts as a
 * loss once `high - i > REORDER_TOLERANCE`, or once nothing arrived for a
 * re-ack period: only then does the receiver ack at once because of it
 * (its periodic acks list every gap, as exact information). The sender
 * resends a chunk listed missing only when it published that copy before
 * the chunk named in `last` (one publisher's messages arrive in order, so
 * it was lost, not overtaken or still travelling), and queues it once
 * however many acks list it.
 */
export const REORDER_TOLERANCE = 4;

const TransferId = Type.String({ pattern: '^[A-Za-z0-9]{8,40}$', description: 'transfer id (one subject token)' });
const ByteCount = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

/** Headers on every message of the media subject. */
export const TransferHeaders = {
  /** Index of the chunk in this transfer (0-based, decimal). */
  chunk: 'Natster-Chunk',
  /** Number of chunks in the transfer. */
  total: 'Natster-Chunks',
  /** Present on the final notice that ends a transfer early (body: TransferEnd). */
  end: 'Natster-End',
} as const;

/** `natster.catalog.<catalog>.download`: `hash` is the file's SHA-256 or its path relative to the catalog root. */
export const DownloadRequest = message(
  Type.Object(
    {
      hash: Type.String({ minLength: 1, maxLength: 4096, description: 'SHA-256 hex or relative path of the file' }),
      /** The downloader's single-use xkey: chunks are sealed to it. */
      target_xkey: XKey,
      /** First byte wanted (default 0). */
      offset: Type.Optional(ByteCount),
      /** Bytes wanted from `offset` (default: to the end of the file). */
      length: Type.Optional(ByteCount),
    },
    { additionalProperties: false },
  ),
  'download request',
);
export type DownloadRequest = Static<typeof DownloadRequest.schema>;

export const DownloadReply = message(
  Type.Object(
    {
      transfer_id: TransferId,
      /** The chunker's single-use xkey: chunks open with it. */
      sender_xkey: XKey,
      chunk_size: Type.Integer({ minimum: 1, maximum: MAX_CHUNK_SIZE }),
      total_chunks: Type.Integer({ minimum: 0 }),
      /** Credit window: the sender keeps at most this many chunks in flight past the ack's `next`; ack well before consuming that many (e.g. every window/8) to keep it full. */
      window: Type.Integer({ minimum: 1 }),
      /** The range actually served. */
      offset: ByteCount,
      length: ByteCount,
      file_size: ByteCount,
      /** SHA-256 of the whole file (verify it when the range is the whole file). */
      sha256: Sha256Hex,
      mime_type: Type.String({ minLength: 1, maxLength: 255 }),
    },
    { additionalProperties: false },
  ),
  'download reply',
);
export type DownloadReply = Static<typeof DownloadReply.schema>;

/**
 * `natster.local.chunker.<catalog>.start` (owner's account, queue group
 * `chunkers`; only chunkers that can read the catalog subscribe), sent by
 * the catalog server after it authorized a download. It names the file by
 * catalog and content hash, never by path: the chunker finds it in its own
 * copy of the catalog, under the catalog root, so a chunker on another host
 * cannot be told to send some other file.
 */
export const ChunkerStartRequest = message(
  Type.Object(
    {
      catalog: CatalogName,
      /** SHA-256 of the file, as listed in the catalog. */
      hash: Sha256Hex,
      /** The downloading account; null when the owner downloads its own catalog. */
      downloader: Type.Union([AccountKey, Type.Null()]),
      target_xkey: XKey,
      offset: ByteCount,
      length: ByteCount,
    },
    { additionalProperties: false },
  ),
  'chunker start request',
);
export type ChunkerStartRequest = Static<typeof ChunkerStartRequest.schema>;

export const ChunkerStartReply = message(
  Type.Object(
    {
      transfer_id: TransferId,
      sender_xkey: XKey,
      chunk_size: Type.Integer({ minimum: 1, maximum: MAX_CHUNK_SIZE }),
      total_chunks: Type.Integer({ minimum: 0 }),
      /** Credit window in chunks (passed on in the download reply). */
      window: Type.Integer({ minimum: 1 }),
    },
    { additionalProperties: false },
  ),
  'chunker start reply',
);
export type ChunkerStartReply = Static<typeof ChunkerStartReply.schema>;

/**
 * `natster.local.chunker.stop` (every chunker sees it, no queue group): ends
 * at once every transfer of `catalog` (to `account` only, when given) and
 * tells each receiver `reason`. Sent on unshare and when a catalog goes away.
 */
export const ChunkerStop = message(
  Type.Object(
    {
      catalog: CatalogName,
      account: Type.Optional(AccountKey),
      reason: Type.String({ minLength: 1, maxLength: 256 }),
    },
    { additionalProperties: false },
  ),
  'chunker stop',
);
export type ChunkerStop = Static<typeof ChunkerStop.schema>;

/**
 * `natster.catalog.<catalog>.transfer.<id>.ack`, published by the receiver.
 * The first ack grants the initial credit; the sender keeps chunks
 * [next, next + window) in flight at most. The final ack (`next` equal to
 * the transfer's chunk count) is sent as a request and repeated until the
 * sender answers it with a TransferEnd of code 200, so a lost final ack
 * never leaves the sender resending to a receiver that finished. An ack
 * that does not match this schema ends the transfer with code 400.
 */
export const TransferAck = message(
  Type.Object(
    {
      /** Chunks [0, next) are consumed: the credit window starts here. */
      next: Type.Integer({ minimum: 0 }),
      /** 1 + the highest index received so far (≥ next). */
      high: Type.Integer({ minimum: 0 }),
      /** Index of the most recently received chunk, -1 before the first. */
      last: Type.Integer({ minimum: -1 }),
      /** Indices in [next, high) not received yet (see REORDER_TOLERANCE for when a gap is a loss). */
      missing: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: MAX_ACK_MISSING }),
      /** The receiver gives up on this transfer: free it. */
      cancel: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  'transfer ack',
);
export type TransferAck = Static<typeof TransferAck.schema>;

/** Body of the final notice (header `Natster-End`) when a transfer ends before completion, and of the answer to a final ack (code 200). */
export const TransferEnd = message(
  Type.Object(
    {
      /** 200: the final ack arrived (answer to it); 400: the receiver sent a malformed ack; 410: the share was revoked; 503: the chunker stopped (resume); 504: the receiver went silent; 500: read failure. */
      code: Type.Integer(),
      reason: Type.String({ maxLength: 256 }),
    },
    { additionalProperties: false },
  ),
  'transfer end',
);
export type TransferEnd = Static<typeof TransferEnd.schema>;
