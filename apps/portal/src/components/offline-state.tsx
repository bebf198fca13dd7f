'use client';
import { useEffect } from 'react';
import { Unreachable, type UnreachableProblem } from '@/lib/unreachable';

/** How often an offline page tries again by itself: a catalog server that comes back shows up within this. */
export const OFFLINE_RETRY_MS = 3_000;

const TITLES = {
  [Unreachable.catalogOffline]: (catalog: string) => `${catalog} is offline`,
  [Unreachable.globalDown]: () => 'The hub is not answering',
} as const;

const HINTS = {
  [Unreachable.catalogOffline]: 'Its owner’s catalog server is not running. This page comes back by itself as soon as it is.',
  [Unreachable.globalDown]: 'The hub’s global service is down, so no catalog can be reached. This page comes back by itself when it is up again.',
} as const;

export interface OfflineStateProps {
  catalog: string;
  problem: UnreachableProblem;
  /** Tries again (refetch, refresh, reload the media); also called every OFFLINE_RETRY_MS. */
  onRetry: () => void;
  retrying?: boolean;
}

/** The one offline state of every page that needs a catalog: says which part is missing, retries by itself, and offers Retry. */
export function OfflineState({ catalog, problem, onRetry, retrying = false }: OfflineStateProps) {
  useEffect(() => {
    const timer = setInterval(onRetry, OFFLINE_RETRY_MS);
    return () => clearInterval(timer);
  }, [onRetry]);

  return (
    <section className="card offline" role="alert" data-testid="offline-state" data-reason={problem.reason}>
      <h2>{TITLES[problem.reason](catalog)}</h2>
      <p>{HINTS[problem.reason]}</p>
      <p className="muted">{problem.message}</p>
      <div className="actions">
        <button type="button" className="button" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      </div>
    </section>
  );
}
