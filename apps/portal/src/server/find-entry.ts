import { CatalogClient } from '@natster/client';
import type { CatalogEntry, CatalogPage } from '@natster/protocol';
import { baseName } from '@/lib/format';
import { checkCatalogName } from './catalog-data';
import type { SignedIn } from './current-session';
import { rememberFacts } from './media-source';
import { reachCatalog } from './reach-catalog';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The listing entry of a file, found by its name and confirmed by its hash
 * (the catalog protocol lists and filters; it has no lookup by hash).
 */
export async function findEntry(signedIn: SignedIn, catalog: string, hash: string, path: string): Promise<CatalogEntry | null> {
  if (!SHA256.test(hash) || !path) return null;
  const client = new CatalogClient(signedIn.nc);
  const filter = { search: baseName(path), limit: 500 };
  let cursor: string | null = null;
  do {
    const request = cursor ? { ...filter, cursor } : filter;
    const page: CatalogPage = await reachCatalog(signedIn, catalog, () => client.page(checkCatalogName(catalog), request));
    const hit = page.entries.find((e) => e.hash === hash && e.path === path) ?? page.entries.find((e) => e.hash === hash);
    if (hit) {
      rememberFacts(signedIn.session.account, catalog, hit.hash, { size: hit.size, mimeType: hit.mime_type });
      return hit;
    }
    cursor = page.next_cursor;
  } while (cursor);
  return null;
}
