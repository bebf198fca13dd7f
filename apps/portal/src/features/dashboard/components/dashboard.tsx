'use client';
import { useQuery } from '@tanstack/react-query';
import { AccountKey } from '@/components/account-key';
import { dashboardQuery } from '../api/get-dashboard';
import { useLiveEvents, type LiveState } from '../api/live-events';
import { MyCatalogs, SharedWithMe } from './catalog-lists';
import { PendingInbox } from './pending-inbox';
import { RecentEvents } from './recent-events';
import { StatsBar } from './stats-bar';

const LIVE_TEXT: Record<LiveState, string> = { connecting: 'connecting…', live: 'live', reconnecting: 'reconnecting…' };

/** The dashboard, hydrated from the server's first render and kept live by /api/events. */
export function Dashboard() {
  const live = useLiveEvents();
  const { data, error } = useQuery(dashboardQuery);
  if (!data) return <p role="alert">{error ? error.message : 'Loading…'}</p>;
  return (
    <div className="dashboard">
      <header className="page-header">
        <div>
          <h1>{data.me.displayName ?? 'Your Natster'}</h1>
          <p className="muted">
            account <AccountKey value={data.me.account} />
            {data.me.context ? <> · context {data.me.context}</> : null}
          </p>
        </div>
        <span className={`live live-${live}`} data-testid="live-state">
          {LIVE_TEXT[live]}
        </span>
      </header>
      {error ? (
        <p role="alert" className="error-text">
          {error.message}
        </p>
      ) : null}
      <StatsBar stats={data.stats} />
      <PendingInbox pending={data.pending} />
      <div className="grid">
        <SharedWithMe catalogs={data.sharedWithMe} />
        <MyCatalogs catalogs={data.myCatalogs} />
      </div>
      <RecentEvents events={data.events} />
    </div>
  );
}
