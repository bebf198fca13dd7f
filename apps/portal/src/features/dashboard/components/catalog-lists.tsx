import Link from 'next/link';
import { AccountKey } from '@/components/account-key';
import { EmptyState } from '@/components/empty-state';
import { OnlineBadge } from '@/components/online-badge';
import { links } from '@/lib/links';
import type { IncomingCatalog, MyCatalog } from '../types';

export function MyCatalogs({ catalogs }: { catalogs: MyCatalog[] }) {
  return (
    <section aria-labelledby="my-catalogs" className="card">
      <h2 id="my-catalogs">My catalogs</h2>
      {catalogs.length === 0 ? (
        <EmptyState title="You have not shared a catalog yet">
          Make one with <code>natster catalog new</code>, serve it, and share it with <code>natster catalog share</code>.
        </EmptyState>
      ) : (
        <ul className="rows">
          {catalogs.map((c) => (
            <li key={c.catalog} className="row" data-testid={`my-catalog-${c.catalog}`}>
              <Link href={`/catalogs/${c.catalog}`} className="row-title">
                {c.catalog}
              </Link>
              <OnlineBadge online={c.online} />
              <span className="muted">{c.revision === null ? 'never served' : `revision ${c.revision}`}</span>
              <span className="muted">
                {c.sharedWith.length === 0 ? 'not shared' : <>shared with {c.sharedWith.map((k) => <AccountKey key={k} value={k} />)}</>}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function SharedWithMe({ catalogs }: { catalogs: IncomingCatalog[] }) {
  return (
    <section aria-labelledby="shared-with-me" className="card">
      <h2 id="shared-with-me">Shared with me</h2>
      {catalogs.length === 0 ? (
        <EmptyState title="Nothing shared with you yet">Give a friend your account key (<code>natster whoami</code>) so they can share a catalog with you.</EmptyState>
      ) : (
        <ul className="rows">
          {catalogs.map((c) => (
            <li key={`${c.owner}/${c.catalog}`} className="row" data-testid={`shared-${c.alias}`}>
              <Link href={links.catalog(c.alias)} className="row-title">
                {c.alias}
              </Link>
              <OnlineBadge online={c.online} />
              <span className="muted">
                from <AccountKey value={c.owner} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
