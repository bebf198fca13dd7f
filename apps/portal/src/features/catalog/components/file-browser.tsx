'use client';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';
import { EmptyState } from '@/components/empty-state';
import { filesQuery } from '../api/get-files';
import { FileRow } from './file-row';

/**
 * A catalog's files, a page at a time (a catalog can hold 100,000 files),
 * filtered by name on the catalog server, not in the browser.
 */
export function FileBrowser({ catalog, initialSearch }: { catalog: string; initialSearch: string }) {
  const [search, setSearch] = useState(initialSearch);
  const query = useDeferredValue(search.trim());
  const files = useInfiniteQuery(filesQuery(catalog, query));
  const first = files.data?.pages[0];
  const entries = files.data?.pages.flatMap((p) => p.entries) ?? [];

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

      {files.isError ? (
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
