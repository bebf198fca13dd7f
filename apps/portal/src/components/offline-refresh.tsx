'use client';
import { useRouter } from 'next/navigation';
import { useCallback, useTransition } from 'react';
import type { UnreachableProblem } from '@/lib/unreachable';
import { OfflineState } from './offline-state';

/** The offline state of a server-rendered page: Retry (and the automatic retries) render the page again. */
export function OfflineRefresh({ catalog, problem }: { catalog: string; problem: UnreachableProblem }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const retry = useCallback(() => startTransition(() => router.refresh()), [router]);
  return <OfflineState catalog={catalog} problem={problem} onRetry={retry} retrying={pending} />;
}
