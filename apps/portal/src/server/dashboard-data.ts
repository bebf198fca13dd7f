import { AccountsClient, GlobalClient } from '@natster/client';
import type { DashboardData } from '@/features/dashboard/types';
import type { SignedIn } from './current-session';
import { shapeShares } from './dashboard-shape';
import { sessionFeed } from './event-feed';

/** Everything the dashboard shows, fetched in parallel as the signed-in user. */
export async function loadDashboard({ session, nc }: SignedIn): Promise<DashboardData> {
  const global = new GlobalClient(nc);
  const feed = sessionFeed(session.id, nc);
  const [stats, shares, me, account] = await Promise.all([global.stats(), global.myShares(), global.whoami(), new AccountsClient(nc).get()]);
  return {
    me: { account: session.account, displayName: me.display_name, context: session.context ?? null },
    stats,
    ...shapeShares(session.account, shares, account.imports),
    events: feed.recent(),
  };
}
