import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { isCatalogAlias } from '@natster/protocol';
import { Player } from '@/features/player/components/player';
import { baseName, formatBytes } from '@/lib/format';
import { links } from '@/lib/links';
import { requireSignedIn } from '@/server/current-session';
import { findEntry } from '@/server/find-entry';
import { UnreachableError } from '@/server/unreachable';
import { OfflineRefresh } from '@/components/offline-refresh';
import type { UnreachableProblem } from '@/lib/unreachable';

export const dynamic = 'force-dynamic';

type Props = { params: Promise<{ name: string; hash: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const pathOf = (query: Record<string, string | string[] | undefined>) => (typeof query.path === 'string' ? query.path : '');

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  return { title: baseName(pathOf(await searchParams)) || 'File' };
}

export default async function FilePage({ params, searchParams }: Props) {
  const [{ name, hash }, query] = await Promise.all([params, searchParams]);
  if (!isCatalogAlias(name)) notFound();
  const entry = await findEntry(await requireSignedIn(), name, hash, pathOf(query)).catch((err: unknown) => {
    if (err instanceof UnreachableError) return err;
    throw err;
  });
  if (entry instanceof UnreachableError) return <OfflineFilePage catalog={name} path={pathOf(query)} problem={entry.problem} />;
  if (!entry) notFound();

  return (
    <div className="file-page">
      <nav className="crumbs">
        <Link href="/">Dashboard</Link> / <Link href={links.catalog(name)}>{name}</Link> / <span>{baseName(entry.path)}</span>
      </nav>
      <header className="page-header">
        <div>
          <h1 className="break">{baseName(entry.path)}</h1>
          <p className="muted">
            {entry.path} · {entry.mime_type} · {formatBytes(entry.size)}
          </p>
          {entry.description ? <p>{entry.description}</p> : null}
        </div>
        <a className="button" href={links.download(name, entry.hash, entry.path)} download>
          Download
        </a>
      </header>
      <Player src={links.media(name, entry.hash)} mimeType={entry.mime_type} title={baseName(entry.path)} catalog={name} />
    </div>
  );
}

/** The owner is offline: say so in place of the file, and come back by itself. */
function OfflineFilePage({ catalog, path, problem }: { catalog: string; path: string; problem: UnreachableProblem }) {
  return (
    <div className="file-page">
      <nav className="crumbs">
        <Link href="/">Dashboard</Link> / <Link href={links.catalog(catalog)}>{catalog}</Link> / <span>{baseName(path)}</span>
      </nav>
      <OfflineRefresh catalog={catalog} problem={problem} />
    </div>
  );
}
