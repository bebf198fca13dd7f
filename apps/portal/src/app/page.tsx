import { HydrationBoundary, QueryClient, dehydrate } from '@tanstack/react-query';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { dashboardKey } from '@/features/dashboard/api/get-dashboard';
import { requireSignedIn } from '@/server/current-session';
import { loadDashboard } from '@/server/dashboard-data';

export const dynamic = 'force-dynamic';

/** Everything is fetched here, on the server, in parallel: the first paint is complete. */
export default async function DashboardPage() {
  const signedIn = await requireSignedIn();
  const queryClient = new QueryClient();
  await queryClient.prefetchQuery({ queryKey: dashboardKey, queryFn: () => loadDashboard(signedIn) });
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <Dashboard />
    </HydrationBoundary>
  );
}
