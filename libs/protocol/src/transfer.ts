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

/** `natster.local.chunker.start` (owner's account, queue group `chunkers`), sent by the catalog server after it authorized a download. */
export const ChunkerStartRequest = message(
  Type.Object(
    {
      /** Absolute path of the resolved file (the catalog server already confined it to the catalog root). */
      path: Type.String({ minLength: 1, maxLength: 8192 }),
      catalog: CatalogName,
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
 * `natster.catalog.<catalog>.transfer.<id>.ack`, published by the receiver
 * (no reply). The first ack grants the initial credit; the sender keeps
 * chunks [next, next + window) in flight at most.
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
      /** Indices in [next, high) not received yet. */
      missing: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: MAX_ACK_MISSING }),
      /** The receiver gives up on this transfer: free it. */
      cancel: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
  'transfer ack',
);
export type TransferAck = Static<typeof TransferAck.schema>;

/** Body of the final notice (header `Natster-End`) when a transfer ends before completion. */
export const TransferEnd = message(
  Type.Object(
    {
      /** 410: the share was revoked; 503: the chunker stopped (resume); 504: the receiver went silent; 500: read failure. */
      code: Type.Integer(),
      reason: Type.String({ maxLength: 256 }),
    },
    { additionalProperties: false },
  ),
  'transfer end',
);
export type TransferEnd = Static<typeof TransferEnd.schema>;
