'use client';
import { useQuery } from '@tanstack/react-query';

/** Text files are previewed from their first bytes only (one Range request). */
export const TEXT_PREVIEW_BYTES = 64 * 1024;

async function firstBytes(src: string): Promise<{ text: string; truncated: boolean }> {
  const res = await fetch(src, { headers: { range: `bytes=0-${TEXT_PREVIEW_BYTES - 1}` } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new Error(body?.error ?? `the preview failed (${res.status}): download the file instead`);
  }
  const total = Number(res.headers.get('content-range')?.split('/')[1] ?? NaN);
  return { text: await res.text(), truncated: res.status === 206 && total > TEXT_PREVIEW_BYTES };
}

export function TextPreview({ src }: { src: string }) {
  const preview = useQuery({ queryKey: ['preview', src], queryFn: () => firstBytes(src), retry: false });
  if (preview.isPending) return <p className="loading" aria-busy>Loading preview…</p>;
  if (preview.isError) return <p role="alert" className="notice notice-error">{preview.error.message}</p>;
  return (
    <figure className="text-preview">
      <pre data-testid="text-preview">{preview.data.text}</pre>
      {preview.data.truncated ? <figcaption className="muted">Showing the first {TEXT_PREVIEW_BYTES / 1024} KB; download for the rest.</figcaption> : null}
    </figure>
  );
}
