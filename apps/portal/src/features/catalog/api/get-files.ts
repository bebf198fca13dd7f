import { infiniteQueryOptions } from '@tanstack/react-query';
import type { CatalogPage } from '@natster/protocol';
import { fetchJson } from '@/lib/fetch-json';

/** Files per page in the browser: small enough to render at once, large enough to scroll. */
export const FILES_PAGE_SIZE = 200;

export const filesKey = (catalog: string, search: string) => ['catalog', catalog, 'files', search] as const;

export function filesUrl(catalog: string, search: string, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(FILES_PAGE_SIZE) });
  if (search) params.set('q', search);
  if (cursor) params.set('cursor', cursor);
  return `/api/catalogs/${encodeURIComponent(catalog)}?${params}`;
}

/** Pages of a catalog's listing, filtered by name; shared by the server prefetch and the browser. */
export const filesQuery = (catalog: string, search: string) =>
  infiniteQueryOptions({
    queryKey: filesKey(catalog, search),
    queryFn: ({ pageParam }) => fetchJson<CatalogPage>(filesUrl(catalog, search, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last: CatalogPage) => last.next_cursor,
    staleTime: 60_000,
    // a failure is shown at once (the portal already waited for the catalog); the offline state retries by itself
    retry: false,
  });
