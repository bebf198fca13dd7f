'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fetchJson } from '@/lib/fetch-json';
import { dashboardKey } from './get-dashboard';

/** Imports a catalog shared with me; the dashboard refetches when it is done. */
export function useImportShare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (share: { catalog: string; owner: string }) =>
      fetchJson<{ imported: true }>('/api/imports', { method: 'POST', body: JSON.stringify(share) }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: dashboardKey }),
  });
}
