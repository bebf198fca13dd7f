'use client';
import { useState } from 'react';
import { mediaKind } from '@/lib/format';
import { TextPreview } from './text-preview';

export interface PlayerProps {
  /** The portal's Range-capable media URL. */
  src: string;
  mimeType: string;
  title: string;
}

type State = 'loading' | 'ready' | 'failed';

const FAILED = 'This file could not be played. Its owner’s catalog server may have gone offline, or the share was withdrawn. Try again in a moment, or download it.';

/** Plays or previews a file; seeking is native (the media route honours Range). */
export function Player({ src, mimeType, title }: PlayerProps) {
  const [state, setState] = useState<State>('loading');
  const kind = mediaKind(mimeType);
  const events = { onLoadedData: () => setState('ready'), onCanPlay: () => setState('ready'), onError: () => setState('failed') };

  if (kind === 'text') return <TextPreview src={src} />;
  if (kind === 'other') return <p className="notice">No preview for {mimeType} files: use Download.</p>;

  return (
    <div className={`player player-${kind}`} data-state={state} data-testid="player">
      {kind === 'video' ? (
        <video controls playsInline preload="metadata" src={src} {...events} aria-label={title} />
      ) : kind === 'audio' ? (
        <audio controls preload="metadata" src={src} {...events} aria-label={title} />
      ) : (
        <img src={src} alt={title} onLoad={events.onLoadedData} onError={events.onError} />
      )}
      {state === 'loading' ? (
        <p className="loading" aria-busy>
          Connecting to the owner’s catalog…
        </p>
      ) : null}
      {state === 'failed' ? (
        <p role="alert" className="notice notice-error">
          {FAILED}
        </p>
      ) : null}
    </div>
  );
}
