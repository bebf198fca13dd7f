import {
  CatalogOps,
  CatalogPage,
  Codes,
  NatsterError,
  InboxReply,
  subjects,
  type CatalogEntry,
  type CatalogGetRequest,
  type PendingShare,
  type ShareView,
} from '@natster/protocol';
import { call, type NatsConnection } from '@natster/nats';

/** What a user sees when a catalog's server does not answer (503, "no responders"). */
export const catalogOffline = (catalog: string): string =>
  `catalog ${catalog} is offline: its owner's catalog server is not running`;

/** Shares with `me` that I have not imported yet, from the `my.shares` projection. */
export function pendingShares(shares: readonly ShareView[], me: string): PendingShare[] {
  return shares
    .filter((s) => s.target === me && s.shared && !s.imported)
    .map((s) => ({ catalog: s.catalog, owner: s.owner, ...(s.shared_at ? { shared_at: s.shared_at } : {}) }))
    .sort((a, b) => a.catalog.localeCompare(b.catalog) || a.owner.localeCompare(b.owner));
}

export interface CatalogListing {
  catalog: string;
  description: string;
  revision: number;
  total: number;
  entries: CatalogEntry[];
}

export type PageFilter = Omit<CatalogGetRequest, 'cursor'>;

/**
 * Lists catalogs through their servers: my own (same account) and imported
 * ones (through the import) use the same subject, `natster.catalog.<name>.get`.
 */
export class CatalogClient {
  constructor(
    private readonly nc: NatsConnection,
    /** A page is small and served from memory: a few seconds without an answer means nobody is serving. */
    private readonly timeout = 4_000,
  ) {}

  /**
   * One page; pass the previous page's `next_cursor` as `cursor`. A stopped
   * server of an imported catalog does not produce "no responders" across
   * the import (nats-server 2.9 drops the request), so a timeout means offline too.
   */
  async page(catalog: string, request: CatalogGetRequest = {}): Promise<CatalogPage> {
    try {
      return await call(this.nc, subjects.catalog(catalog, CatalogOps.get), request, CatalogPage, {
        timeout: this.timeout,
        offline: catalogOffline(catalog),
      });
    } catch (err) {
      if (err instanceof NatsterError && err.code === Codes.timeout) {
        throw new NatsterError(Codes.unavailable, catalogOffline(catalog), { cause: err });
      }
      throw err;
    }
  }

  /** Every page in order, however large the catalog. */
  async *pages(catalog: string, filter: PageFilter = {}): AsyncGenerator<CatalogPage> {
    let cursor: string | null = null;
    do {
      const page: CatalogPage = await this.page(catalog, cursor ? { ...filter, cursor } : filter);
      yield page;
      cursor = page.next_cursor;
    } while (cursor);
  }

  /** The whole listing (revision and description as of the last page). */
  async list(catalog: string, filter: PageFilter = {}): Promise<CatalogListing> {
    const entries: CatalogEntry[] = [];
    let last: CatalogPage | null = null;
    for await (const page of this.pages(catalog, filter)) {
      entries.push(...page.entries);
      last = page;
    }
    const { description = '', revision = 1, total = entries.length } = last ?? {};
    return { catalog, description, revision, total, entries };
  }

  /** Shares waiting for me, as my own catalog server reports them (`natster.local.inbox`). */
  async inbox(): Promise<PendingShare[]> {
    const reply = await call(this.nc, subjects.localInbox(), {}, InboxReply, {
      timeout: this.timeout,
      offline: 'no catalog server of yours is running to answer the inbox: run `natster catalog inbox` or `natster catalog serve NAME`',
    });
    return reply.shares;
  }
}
