import { Codes, DEFAULT_PAGE_LIMIT, NatsterError, type CatalogEntry, type CatalogGetRequest, type CatalogPage } from '@natster/protocol';

/** What a page is cut from: a catalog's header and its entries sorted by path. */
export interface PageSource {
  name: string;
  description: string;
  revision: number;
  entries: readonly CatalogEntry[];
}

/** Bytes of entries per page: far below any sane max_payload, big enough for ~1,000 entries. */
export const DEFAULT_PAGE_BYTES = 256 * 1024;

export const encodeCursor = (path: string): string => Buffer.from(path, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const path = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (path.length === 0 || encodeCursor(path) !== cursor) {
    throw new NatsterError(Codes.badRequest, 'invalid cursor: pass back the next_cursor of the previous page, or none for the first page');
  }
  return path;
}

/** First index whose entry satisfies `before(entry) === false` (entries are sorted, `before` is monotone). */
function firstNotBefore(entries: readonly CatalogEntry[], before: (e: CatalogEntry) => boolean): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(entries[mid] as CatalogEntry)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Cuts one page: entries after the cursor (by path, so pages stay consistent
 * while the catalog changes), filtered, at most `limit` entries and about
 * `maxBytes` of JSON.
 */
export function pageOf(source: PageSource, request: CatalogGetRequest, maxBytes = DEFAULT_PAGE_BYTES): CatalogPage {
  const { entries } = source;
  const prefix = request.prefix;
  let lo = 0;
  let hi = entries.length;
  if (prefix !== undefined) {
    lo = firstNotBefore(entries, (e) => e.path < prefix);
    hi = firstNotBefore(entries, (e) => e.path < prefix || e.path.startsWith(prefix));
  }
  const needle = request.search?.toLowerCase();
  const matches = (e: CatalogEntry) => needle === undefined || e.path.toLowerCase().includes(needle);
  let total = hi - lo;
  if (needle !== undefined) {
    total = 0;
    for (let i = lo; i < hi; i++) if (matches(entries[i] as CatalogEntry)) total++;
  }

  let start = lo;
  if (request.cursor !== undefined) {
    const after = decodeCursor(request.cursor);
    start = Math.max(lo, firstNotBefore(entries, (e) => e.path <= after));
  }
  const limit = request.limit ?? DEFAULT_PAGE_LIMIT;
  const page: CatalogEntry[] = [];
  let bytes = 0;
  let i = start;
  for (; i < hi && page.length < limit; i++) {
    const entry = entries[i] as CatalogEntry;
    if (!matches(entry)) continue;
    const size = Buffer.byteLength(JSON.stringify(entry)) + 1;
    if (page.length > 0 && bytes + size > maxBytes) break;
    page.push(entry);
    bytes += size;
  }
  // Skip trailing non-matches so the last page says so instead of handing out an empty next page.
  while (i < hi && !matches(entries[i] as CatalogEntry)) i++;
  const last = page.at(-1);
  return {
    catalog: source.name,
    description: source.description,
    revision: source.revision,
    total,
    entries: page,
    next_cursor: i < hi && last ? encodeCursor(last.path) : null,
  };
}
