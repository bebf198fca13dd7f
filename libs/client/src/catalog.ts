import {
  CatalogOps,
  CatalogPage,
  Codes,
  NatsterError,
  InboxReply,
  catalogAlias,
  parseCatalogAlias,
  subjects,
  type CatalogEntry,
  type CatalogGetRequest,
  type PendingShare,
  type ShareView,
} from '@natster/protocol';
import { call, type NatsConnection } from '@natster/nats';
import { orUnavailable } from './unavailable';

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

/**
 * The pending share a person means: by catalog name, or `name~<owner key
 * prefix>` (the alias grammar) when several owners shared that name.
 */
export function findPendingShare(pending: readonly PendingShare[], name: string): PendingShare {
  const { catalog, ownerPrefix } = parseCatalogAlias(name);
  const matches = pending.filter((s) => s.catalog === catalog && (ownerPrefix === null || s.owner.startsWith(ownerPrefix)));
  if (matches.length === 0) throw new NatsterError(Codes.notFound, `no pending share named ${name}: run \`natster catalog inbox\` to see them`);
  if (matches.length > 1) {
    const options = matches.map((s) => catalogAlias(s.catalog, s.owner)).join(', ');
    throw new NatsterError(Codes.conflict, `${matches.length} accounts shared a catalog named ${catalog}: pick one by its owner, e.g. ${options}`);
  }
  return matches[0] as PendingShare;
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
 * Lists catalogs through their servers: my own (same account, by name) and
 * imported ones (through the import, by local alias) use the same subject,
 * `natster.catalog.<name or alias>.get`.
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
    const reply = call(this.nc, subjects.catalog(catalog, CatalogOps.get), request, CatalogPage, { timeout: this.timeout, offline: catalogOffline(catalog) });
    return orUnavailable(reply, catalogOffline(catalog), this.nc);
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
