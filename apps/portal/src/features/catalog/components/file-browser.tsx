'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useState } from 'react';
import { EmptyState } from '@/components/empty-state';
import { OfflineState } from '@/components/offline-state';
import { unreachableOf, type UnreachableProblem } from '@/lib/unreachable';
import { filesQuery } from '../api/get-files';
import { FileRow } from './file-row';

/**
 * A catalog's files, a page at a time (a catalog can hold 100,000 files),
 * filtered by name on the catalog server, not in the browser.
 */
export function FileBrowser({ catalog, initialSearch, initialOffline = null }: { catalog: string; initialSearch: string; initialOffline?: UnreachableProblem | null }) {
  const [search, setSearch] = useState(initialSearch);
  const query = useDeferredValue(search.trim());
  const files = useInfiniteQuery(filesQuery(catalog, query));
  const first = files.data?.pages[0];
  const entries = files.data?.pages.flatMap((p) => p.entries) ?? [];
  // the server's render found the owner offline: say so while the browser asks again
  const offline = unreachableOf(files.error) ?? (files.isPending ? initialOffline : null);
  const { refetch } = files;
  const retry = useCallback(() => void refetch(), [refetch]);

  return (
    <section aria-label="files" className="browser">
      <div className="browser-bar">
        <input
          type="search"
          className="search"
          placeholder="Search by name"
          aria-label="Search files by name"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            const url = new URL(window.location.href);
            if (e.target.value.trim()) url.searchParams.set('q', e.target.value.trim());
            else url.searchParams.delete('q');
            window.history.replaceState(null, '', url);
          }}
        />
        {first ? (
          <span className="muted" data-testid="file-count">
            {entries.length < first.total ? `${entries.length.toLocaleString('en')} of ` : ''}
            {first.total.toLocaleString('en')} {first.total === 1 ? 'file' : 'files'}
          </span>
        ) : null}
      </div>

      {offline ? (
        <OfflineState catalog={catalog} problem={offline} onRetry={retry} retrying={files.isFetching} />
      ) : files.isError ? (
        <p role="alert" className="notice notice-error">
          {files.error.message}
        </p>
      ) : files.isPending ? (
        <p className="loading" aria-busy>
          Loading files…
        </p>
      ) : entries.length === 0 ? (
        <EmptyState title={query ? `No file matches “${query}”` : 'This catalog is empty'}>{query ? 'Try a shorter part of the name.' : 'Its owner has not added files yet.'}</EmptyState>
      ) : (
        <ul className="files">
          {entries.map((entry) => (
            <FileRow key={entry.hash + entry.path} catalog={catalog} entry={entry} />
          ))}
        </ul>
      )}

      {files.hasNextPage ? (
        <button type="button" className="button more" disabled={files.isFetchingNextPage} onClick={() => void files.fetchNextPage()}>
          {files.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </section>
  );
}
