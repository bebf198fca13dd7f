import { AccountKey } from '@/components/account-key';
import { EmptyState } from '@/components/empty-state';
import { formatTime } from '@/lib/format';
import type { EventView } from '../types';

const DESCRIBE: Record<EventView['type'], string> = {
  natster_initialized: 'joined Natster',
  catalog_shared: 'shared',
  catalog_unshared: 'stopped sharing',
  catalog_imported: 'imported',
  catalog_unimported: 'removed',
  context_bound: 'signed in to the portal',
  catalog_online: 'started serving',
  catalog_offline: 'stopped serving',
};

export function RecentEvents({ events }: { events: EventView[] }) {
  return (
    <section aria-labelledby="recent" className="card">
      <h2 id="recent">Recent activity</h2>
      {events.length === 0 ? (
        <EmptyState title="Quiet so far">Shares, imports and catalogs coming online show up here as they happen.</EmptyState>
      ) : (
        <ol className="events">
          {events.map((e) => (
            <li key={e.id} className="event" data-testid="event">
              <AccountKey value={e.origin} /> {DESCRIBE[e.type]} {e.catalog ? <strong>{e.catalog}</strong> : null}
              {e.target ? (
                <>
                  {' '}
                  with <AccountKey value={e.target} />
                </>
              ) : null}
              <time dateTime={e.time} className="muted">
                {formatTime(e.time)}
              </time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
