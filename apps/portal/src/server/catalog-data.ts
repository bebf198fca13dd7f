import { CatalogClient } from '@natster/client';
import { Codes, NatsterError, isCatalogName, type CatalogPage } from '@natster/protocol';
import { FILES_PAGE_SIZE } from '@/features/catalog/api/get-files';
import type { SignedIn } from './current-session';
import { rememberFacts } from './media-source';

export function checkCatalogName(name: string): string {
  if (!isCatalogName(name)) throw new NatsterError(Codes.notFound, `there is no catalog called ${JSON.stringify(name)}`);
  return name;
}

/** One page of a catalog's listing, as the signed-in user (mine or imported). */
export async function filesPage({ session, nc }: SignedIn, catalog: string, search: string, cursor: string | null): Promise<CatalogPage> {
  const page = await new CatalogClient(nc).page(checkCatalogName(catalog), {
    limit: FILES_PAGE_SIZE,
    ...(search ? { search } : {}),
    ...(cursor ? { cursor } : {}),
  });
  // Playing or downloading a listed file then needs no probe for its size and type.
  for (const e of page.entries) rememberFacts(session.account, catalog, e.hash, { size: e.size, mimeType: e.mime_type });
  return page;
}
