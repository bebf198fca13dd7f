import { queryOptions } from '@tanstack/react-query';
import { fetchJson } from '@/lib/fetch-json';
import type { DashboardData } from '../types';

export const dashboardKey = ['dashboard'] as const;

/** Shared by the server prefetch and the client: same key, same shape. */
export const dashboardQuery = queryOptions({
  queryKey: dashboardKey,
  queryFn: () => fetchJson<DashboardData>('/api/dashboard'),
  staleTime: 30_000,
});
