'use client';
import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { readEvents } from '@/lib/sse';
import type { DashboardData, EventView } from '../types';
import { dashboardKey } from './get-dashboard';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

const RETRY_MS = 2000;
const KEEP_EVENTS = 50;

/**
 * Follows /api/events: each Natster event is prepended to the dashboard's
 * recent events and the dashboard is refetched, so shares and online status
 * change without a reload.
 */
export function useLiveEvents(): LiveState {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    const controller = new AbortController();
    let retry: ReturnType<typeof setTimeout> | undefined;
    const onEvent = (event: EventView) => {
      queryClient.setQueryData<DashboardData>(dashboardKey, (old) =>
        old && !old.events.some((e) => e.id === event.id) ? { ...old, events: [event, ...old.events].slice(0, KEEP_EVENTS) } : old,
      );
      void queryClient.invalidateQueries({ queryKey: dashboardKey });
    };
    const follow = async () => {
      try {
        const res = await fetch('/api/events', { signal: controller.signal, headers: { accept: 'text/event-stream' } });
        if (res.status === 401) {
          // signed out (elsewhere, or the session expired): retrying cannot help
          window.location.assign('/signin');
          return;
        }
        if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
        setState('live');
        await readEvents(res.body, (e) => e.event === 'natster' && onEvent(JSON.parse(e.data) as EventView), controller.signal);
      } catch {
        // fall through to a retry unless we were unmounted
      }
      if (controller.signal.aborted) return;
      setState('reconnecting');
      retry = setTimeout(() => void follow(), RETRY_MS);
    };
    void follow();
    return () => {
      controller.abort();
      clearTimeout(retry);
    };
  }, [queryClient]);

  return state;
}
