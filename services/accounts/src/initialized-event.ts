import { EventsPutReply, EventTypes, GlobalOps, newEvent, subjects } from '@natster/protocol';
import { call, type Logger, type NatsConnection } from '@natster/nats';

export interface EventReporter {
  /** Records `natster_initialized` for a new account; retried in the background, never fails signup. */
  initialized(account: string, name: string | undefined): void;
  /** Cancels pending retries. */
  stop(): void;
}

/**
 * Writes signup events through the global service (which accepts them from
 * AUTHORITY on behalf of the origin). The global service may be down or
 * starting: the event is retried a few times, then given up with a warning.
 */
export function eventReporter(nc: NatsConnection, logger: Logger, retryDelaysMs: number[] = [1000, 3000, 10_000, 30_000]): EventReporter {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const attempt = (event: ReturnType<typeof newEvent>, tries: number) => {
    call(nc, subjects.global(GlobalOps.eventsPut), event, EventsPutReply, { timeout: 5000, offline: 'the global service is not running' }).then(
      () => logger.info('recorded natster_initialized', { account: event.data.origin }),
      (err: unknown) => {
        const delay = retryDelaysMs[tries];
        if (stopped) return;
        if (delay === undefined) {
          logger.warn('gave up recording natster_initialized', { account: event.data.origin, error: err });
          return;
        }
        logger.warn('could not record natster_initialized; retrying', { account: event.data.origin, error: err, retry_ms: delay });
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(event, tries + 1);
        }, delay);
        timers.add(timer);
      },
    );
  };

  return {
    initialized(account, name) {
      attempt(newEvent(EventTypes.natsterInitialized, account, name ? { details: { name } } : {}), 0);
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
