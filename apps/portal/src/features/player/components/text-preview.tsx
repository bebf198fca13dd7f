'use client';
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { OfflineState } from '@/components/offline-state';
import { apiError } from '@/lib/fetch-json';
import { unreachableOf } from '@/lib/unreachable';

/** Text files are previewed from their first bytes only (one Range request). */
export const TEXT_PREVIEW_BYTES = 64 * 1024;

async function firstBytes(src: string): Promise<{ text: string; truncated: boolean }> {
  const res = await fetch(src, { headers: { range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` } });
  if (!res.ok) throw await apiError(res);
  const total = Number(res.headers.get('content-range')?.split('/')[1] ?? NaN);
  return { text: await res.text(), truncated: res.status === 206 && total > TEXT_PREVIEW_BYTES };
}

export function TextPreview({ src, catalog }: { src: string; catalog: string }) {
  const preview = useQuery({ queryKey: ['preview', src], queryFn: () => firstBytes(src), retry: false });
  const { refetch } = preview;
  const retry = useCallback(() => void refetch(), [refetch]);
  const offline = unreachableOf(preview.error);
  if (offline) return <OfflineState catalog={catalog} problem={offline} onRetry={retry} retrying={preview.isFetching} />;
  if (preview.isPending) return <p className="loading" aria-busy>Loading preview…</p>;
  if (preview.isError) return <p role="alert" className="notice notice-error">{preview.error.message}</p>;
  return (
    <figure className="text-preview">
      <pre data-testid="text-preview">{preview.data.text}</pre>
      {preview.data.truncated ? <figcaption className="muted">Showing the first {TEXT_PREVIEW_BYTES / 1024} KB; download for the rest.</figcaption> : null}
    </figure>
  );
}
