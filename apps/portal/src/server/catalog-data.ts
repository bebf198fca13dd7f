import { CatalogClient } from '@natster/client';
import { Codes, NatsterError, isCatalogAlias, type CatalogPage } from '@natster/protocol';
import { FILES_PAGE_SIZE } from '@/features/catalog/api/get-files';
import type { SignedIn } from './current-session';
import { rememberFacts } from './media-source';
import { reachCatalog } from './reach-catalog';

export function checkCatalogName(name: string): string {
  if (!isCatalogAlias(name)) throw new NatsterError(Codes.notFound, `there is no catalog called ${JSON.stringify(name)}`);
  return name;
}

/** One page of a catalog's listing, as the signed-in user (mine or imported). */
export async function filesPage(signedIn: SignedIn, catalog: string, search: string, cursor: string | null): Promise<CatalogPage> {
  const { session, nc } = signedIn;
  const request = { limit: FILES_PAGE_SIZE, ...(search ? { search } : {}), ...(cursor ? { cursor } : {}) };
  const page = await reachCatalog(signedIn, catalog, () => new CatalogClient(nc).page(checkCatalogName(catalog), request));
  // Playing or downloading a listed file then needs no probe for its size and type.
  for (const e of page.entries) rememberFacts(session.account, catalog, e.hash, { size: e.size, mimeType: e.mime_type });
  return page;
}
