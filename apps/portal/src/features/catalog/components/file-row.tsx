import Link from 'next/link';
import type { CatalogEntry } from '@natster/protocol';
import { formatBytes, mediaKind } from '@/lib/format';
import { links } from '@/lib/links';

const ICON = { video: '▶', audio: '♪', image: '▣', text: '≡', other: '□' } as const;

export function FileRow({ catalog, entry }: { catalog: string; entry: CatalogEntry }) {
  const kind = mediaKind(entry.mime_type);
  return (
    <li className="file" data-testid="file-row">
      <span className={`file-icon file-icon-${kind}`} aria-hidden>
        {ICON[kind]}
      </span>
      <div className="file-main">
        <Link href={links.file(catalog, entry.hash, entry.path)} className="file-path">
          {entry.path}
        </Link>
        {entry.description ? <p className="file-description">{entry.description}</p> : null}
      </div>
      <span className="file-type muted">{entry.mime_type}</span>
      <span className="file-size muted">{formatBytes(entry.size)}</span>
      <a href={links.download(catalog, entry.hash, entry.path)} className="button button-quiet" download aria-label={`Download ${entry.path}`}>
        Download
      </a>
    </li>
  );
}
