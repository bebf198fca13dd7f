import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, CatalogName, IsoTime, Sha256Hex } from './common';
import { message } from './validate';

/** Longest relative path a catalog records (Linux PATH_MAX). */
export const MAX_CATALOG_PATH_CHARS = 4096;
/** Longest description of a catalog or of one file. */
export const MAX_DESCRIPTION_CHARS = 512;
/** Most entries one `get` page may hold; the server also caps a page by bytes. */
export const MAX_PAGE_LIMIT = 5000;
export const DEFAULT_PAGE_LIMIT = 1000;

/** A path relative to the catalog root, always with `/` separators. */
export const CatalogPath = Type.String({ minLength: 1, maxLength: MAX_CATALOG_PATH_CHARS });
export const Description = Type.String({ maxLength: MAX_DESCRIPTION_CHARS });

/** One file of a catalog, as stored and as listed to importers. */
export const CatalogEntry = Type.Object(
  {
    /** Relative to the catalog root, `/`-separated, never `..` or absolute. */
    path: CatalogPath,
    /** SHA-256 of the whole file: how downloads name it. */
    hash: Sha256Hex,
    size: Type.Integer({ minimum: 0 }),
    /** Modification time in ms since the epoch; with size, how rescans spot changes. */
    mtime_ms: Type.Number({ minimum: 0 }),
    mime_type: Type.String({ minLength: 1, maxLength: 255 }),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);
export type CatalogEntry = Static<typeof CatalogEntry>;

/**
 * The catalog file kept by its owner (`<catalogs dir>/<name>.json`). Never
 * sent over NATS whole: importers see it page by page through `get`.
 */
export const CatalogFile = message(
  Type.Object(
    {
      version: Type.Literal(1),
      name: CatalogName,
      description: Description,
      /** Absolute path of the folder the catalog was made from. */
      root: Type.String({ minLength: 1, maxLength: MAX_CATALOG_PATH_CHARS }),
      /** Increases with every scan that found a change (starts at 1). */
      revision: Type.Integer({ minimum: 1 }),
      created_at: IsoTime,
      updated_at: IsoTime,
      /** Sorted by path (code-unit order), unique paths. */
      entries: Type.Array(CatalogEntry),
    },
    { additionalProperties: false },
  ),
  'catalog file',
);
export type CatalogFile = Static<typeof CatalogFile.schema>;

/**
 * `natster.catalog.<name>.get`: one page of the listing. Pages follow path
 * order; `cursor` is the previous reply's `next_cursor`. `prefix` keeps paths
 * that start with it, `search` keeps paths containing it (case-insensitive).
 */
export const CatalogGetRequest = message(
  Type.Object(
    {
      cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_LIMIT })),
      prefix: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CATALOG_PATH_CHARS })),
      search: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    },
    { additionalProperties: false },
  ),
  'catalog get request',
);
export type CatalogGetRequest = Static<typeof CatalogGetRequest.schema>;

export const CatalogPage = message(
  Type.Object(
    {
      catalog: CatalogName,
      description: Description,
      revision: Type.Integer({ minimum: 1 }),
      /** Entries matching the request's filter across all pages. */
      total: Type.Integer({ minimum: 0 }),
      entries: Type.Array(CatalogEntry),
      /** Pass back as `cursor` for the next page; null on the last page. */
      next_cursor: Type.Union([Type.String({ minLength: 1, maxLength: 8192 }), Type.Null()]),
    },
    { additionalProperties: false },
  ),
  'catalog page',
);
export type CatalogPage = Static<typeof CatalogPage.schema>;

/** A catalog shared with me that I have not imported yet. */
export const PendingShare = Type.Object(
  {
    catalog: CatalogName,
    /** The owner's account, who shared it. */
    owner: AccountKey,
    shared_at: Type.Optional(IsoTime),
  },
  { additionalProperties: false },
);
export type PendingShare = Static<typeof PendingShare>;

/** `natster.local.inbox` (same account only): shares waiting to be imported. */
export const InboxRequest = message(Type.Object({}, { additionalProperties: false }), 'inbox request');
export const InboxReply = message(
  Type.Object({ shares: Type.Array(PendingShare) }, { additionalProperties: false }),
  'inbox reply',
);
export type InboxReply = Static<typeof InboxReply.schema>;
