import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { HydrationBoundary, QueryClient, dehydrate } from '@tanstack/react-query';
import { isCatalogAlias } from '@natster/protocol';
import { filesKey } from '@/features/catalog/api/get-files';
import { FileBrowser } from '@/features/catalog/components/file-browser';
import { requireSignedIn } from '@/server/current-session';
import { filesPage } from '@/server/catalog-data';
import { UnreachableError } from '@/server/unreachable';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: (await params).name };
}

export default async function CatalogPage({ params, searchParams }: Props) {
  const [{ name }, query] = await Promise.all([params, searchParams]);
  if (!isCatalogAlias(name)) notFound();
  const search = typeof query.q === 'string' ? query.q.trim() : '';
  const signedIn = await requireSignedIn();

  const queryClient = new QueryClient();
  await queryClient.prefetchInfiniteQuery({
    queryKey: filesKey(name, search),
    queryFn: () => filesPage(signedIn, name, search, null),
    initialPageParam: null as string | null,
  });
  // an offline owner is shown from the first paint, not after the browser asks again
  const failure = queryClient.getQueryState(filesKey(name, search))?.error;
  const offline = failure instanceof UnreachableError ? failure.problem : null;
  const first = queryClient.getQueryData<{ pages: { description: string; revision: number }[] }>(filesKey(name, search))?.pages[0];

  return (
    <div className="catalog">
      <nav className="crumbs">
        <Link href="/">Dashboard</Link> / <span>{name}</span>
      </nav>
      <header className="page-header">
        <div>
          <h1>{name}</h1>
          {first ? (
            <p className="muted">
              {first.description || 'No description'} · revision {first.revision}
            </p>
          ) : null}
        </div>
      </header>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <FileBrowser catalog={name} initialSearch={search} initialOffline={offline} />
      </HydrationBoundary>
    </div>
  );
}
