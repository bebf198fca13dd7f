'use client';
import { useCallback, useState } from 'react';
import { OfflineState } from '@/components/offline-state';
import { apiError } from '@/lib/fetch-json';
import { mediaKind } from '@/lib/format';
import { unreachableOf, type UnreachableProblem } from '@/lib/unreachable';
import { TextPreview } from './text-preview';

export interface PlayerProps {
  /** The portal's Range-capable media URL. */
  src: string;
  mimeType: string;
  title: string;
  catalog: string;
}

type State = { kind: 'loading' | 'ready' | 'failed' } | { kind: 'offline'; problem: UnreachableProblem };

const FAILED = 'This file could not be played. The share may have been withdrawn, or the file changed. Try again in a moment, or download it.';

/** A media element only says "error": ask the media route itself (one byte) what went wrong. */
async function whyItFailed(src: string): Promise<UnreachableProblem | null> {
  const res = await fetch(src, { headers: { range: 'bytes=0-0' } }).catch(() => null);
  if (!res) return null;
  if (res.ok) {
    void res.body?.cancel().catch(() => {});
    return null;
  }
  return unreachableOf(await apiError(res));
}

/** Plays or previews a file; seeking is native (the media route honours Range). */
export function Player({ src, mimeType, title, catalog }: PlayerProps) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  // a new key mounts a new media element: the way to make it try the source again
  const [attempt, setAttempt] = useState(0);
  const kind = mediaKind(mimeType);

  const onError = useCallback(() => {
    void whyItFailed(src).then((problem) => setState(problem ? { kind: 'offline', problem } : { kind: 'failed' }));
  }, [src]);
  const retry = useCallback(() => {
    void whyItFailed(src).then((problem) => {
      if (problem) return setState({ kind: 'offline', problem });
      setState({ kind: 'loading' });
      setAttempt((n) => n + 1);
    });
  }, [src]);

  if (kind === 'text') return <TextPreview src={src} catalog={catalog} />;
  if (kind === 'other') return <p className="notice">No preview for {mimeType} files: use Download.</p>;

  const ready = () => setState((s) => (s.kind === 'loading' ? { kind: 'ready' } : s));
  const events = { onLoadedData: ready, onCanPlay: ready, onError };
  return (
    <>
      {/* above the player, so the reason is seen without scrolling */}
      {state.kind === 'offline' ? <OfflineState catalog={catalog} problem={state.problem} onRetry={retry} /> : null}
      {state.kind === 'failed' ? (
        <p role="alert" className="notice notice-error">
          {FAILED}
        </p>
      ) : null}
      <div className={`player player-${kind}`} data-state={state.kind} data-testid="player">
        {kind === 'video' ? (
          <video key={attempt} controls playsInline preload="metadata" src={src} {...events} aria-label={title} />
        ) : kind === 'audio' ? (
          <audio key={attempt} controls preload="metadata" src={src} {...events} aria-label={title} />
        ) : (
          <img key={attempt} src={src} alt={title} onLoad={ready} onError={onError} />
        )}
        {state.kind === 'loading' ? (
          <p className="loading" aria-busy>
            Connecting to the owner’s catalog…
          </p>
        ) : null}
      </div>
    </>
  );
}
