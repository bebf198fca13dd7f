import { GlobalClient } from '@natster/client';
import { createLogger, type NatsConnection } from '@natster/nats';
import type { EventView } from '@/features/dashboard/types';
import { eventView } from './dashboard-shape';
import { processSingleton } from './process-singleton';

const log = createLogger('portal');
const KEEP = 50;

/** The account's live event feed for one session: recent events and who is listening. */
export interface EventFeed {
  /** Newest first. */
  recent(): EventView[];
  /** Calls `listener` for every new event until the returned function is called. */
  listen(listener: (event: EventView) => void): () => void;
}

const feeds = () => processSingleton('event-feeds', () => new Map<string, EventFeed>());

/**
 * One subscription to `natster.global-events.>` per session, on the
 * session's own connection (so it sees exactly what that account may see),
 * shared by every open tab. It ends when the connection closes.
 */
export function sessionFeed(sessionId: string, nc: NatsConnection): EventFeed {
  const map = feeds();
  const existing = map.get(sessionId);
  if (existing) return existing;

  const recent: EventView[] = [];
  const listeners = new Set<(event: EventView) => void>();
  const watch = new GlobalClient(nc).watchEvents();
  void (async () => {
    for await (const event of watch) {
      const view = eventView(event);
      recent.unshift(view);
      recent.length = Math.min(recent.length, KEEP);
      for (const listener of listeners) listener(view);
    }
  })();
  const feed: EventFeed = {
    recent: () => [...recent],
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  map.set(sessionId, feed);
  void nc.closed().then(() => {
    map.delete(sessionId);
    watch.stop();
    log.debug('event feed closed with its session connection', {});
  });
  return feed;
}
