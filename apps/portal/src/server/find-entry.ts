import { CatalogClient } from '@natster/client';
import type { CatalogEntry } from '@natster/protocol';
import { baseName } from '@/lib/format';
import { checkCatalogName } from './catalog-data';
import type { SignedIn } from './current-session';
import { rememberFacts } from './media-source';

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * The listing entry of a file, found by its name and confirmed by its hash
 * (the catalog protocol lists and filters; it has no lookup by hash).
 */
export async function findEntry({ session, nc }: SignedIn, catalog: string, hash: string, path: string): Promise<CatalogEntry | null> {
  if (!SHA256.test(hash) || !path) return null;
  for await (const page of new CatalogClient(nc).pages(checkCatalogName(catalog), { search: baseName(path), limit: 500 })) {
    const hit = page.entries.find((e) => e.hash === hash && e.path === path) ?? page.entries.find((e) => e.hash === hash);
    if (hit) {
      rememberFacts(session.account, catalog, hit.hash, { size: hit.size, mimeType: hit.mime_type });
      return hit;
    }
  }
  return null;
}
