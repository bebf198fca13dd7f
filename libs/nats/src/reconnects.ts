import { Events, type NatsConnection } from 'nats';
import type { Logger } from './logger';

export interface ReconnectListener {
  /** The connection to `server` dropped; the client keeps trying. */
  lost(server: string): void;
  /** Connected again to `server`, `afterMs` after the loss. */
  back(server: string, afterMs: number): void;
}

/**
 * Calls `listener` when the connection drops and when it is back, until
 * the connection closes or the returned stop() is called. Core
 * subscriptions (services included) are restored by the client itself;
 * this is for what a process must redo or say (heartbeats, user output).
 */
export function onReconnects(nc: NatsConnection, listener: ReconnectListener): () => void {
  let stopped = false;
  let lostAt: number | null = null;
  // A nats.js QueuedIterator: stop() unregisters it at once (a short-lived watcher must not linger on the connection).
  const statuses = nc.status() as AsyncIterable<{ type: string; data: unknown }> & { stop(): void };
  void (async () => {
    for await (const status of statuses) {
      if (stopped) break;
      const server = String(status.data);
      if (status.type === Events.Disconnect && lostAt === null) {
        lostAt = Date.now();
        listener.lost(server);
      } else if (status.type === Events.Reconnect) {
        listener.back(server, Date.now() - (lostAt ?? Date.now()));
        lostAt = null;
      }
    }
  })().catch(() => undefined);
  return () => {
    stopped = true;
    statuses.stop();
  };
}

/** Structured log lines for a service's connection losses and recoveries. */
export function logReconnects(nc: NatsConnection, logger: Logger): () => void {
  return onReconnects(nc, {
    lost: (server) => logger.warn('lost the hub; reconnecting', { server }),
    back: (server, afterMs) => logger.info('reconnected to the hub', { server, after_ms: afterMs }),
  });
}
