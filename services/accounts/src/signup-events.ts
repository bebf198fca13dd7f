import { EventsPutReply, EventTypes, GlobalOps, newEvent, subjects } from '@natster/protocol';
import { call, type Logger, type NatsConnection } from '@natster/nats';

export interface EventReporter {
  /**
   * Records a completed signup: `natster_initialized`, then `catalog_imported`
   * for the demo catalog the new account's JWT imports (so the account's
   * shares, online status and live feed include it like any other import).
   * Retried in the background; never fails the signup.
   */
  signedUp(account: string, name: string | undefined): void;
  /** Cancels pending retries. */
  stop(): void;
}

/** The catalog every new account imports, when the hub has one. */
export interface DemoImport {
  owner: string;
  catalog: string;
}

type Event = ReturnType<typeof newEvent>;

/**
 * Writes signup events through the global service (which accepts them from
 * AUTHORITY on behalf of the origin). The global service may be down or
 * starting: each event is retried a few times, then given up with a warning.
 */
export function eventReporter(nc: NatsConnection, logger: Logger, demo: DemoImport | null, retryDelaysMs: number[] = [1000, 3000, 10_000, 30_000]): EventReporter {
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  /** Puts `events` in order; a failure retries the one that failed. */
  const attempt = (events: Event[], tries: number) => {
    const [event, ...rest] = events;
    if (!event || stopped) return;
    const fields = { account: event.data.origin, type: event.type };
    call(nc, subjects.global(GlobalOps.eventsPut), event, EventsPutReply, { timeout: 5000, offline: 'the global service is not running' }).then(
      () => {
        logger.info(`recorded ${event.type}`, fields);
        attempt(rest, 0);
      },
      (err: unknown) => {
        const delay = retryDelaysMs[tries];
        if (stopped) return;
        if (delay === undefined) {
          logger.warn(`gave up recording ${event.type}`, { ...fields, error: err });
          return;
        }
        logger.warn(`could not record ${event.type}; retrying`, { ...fields, error: err, retry_ms: delay });
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(events, tries + 1);
        }, delay);
        timers.add(timer);
      },
    );
  };

  return {
    signedUp(account, name) {
      const events = [newEvent(EventTypes.natsterInitialized, account, name ? { details: { name } } : {})];
      if (demo) events.push(newEvent(EventTypes.catalogImported, account, { target: demo.owner, catalog: demo.catalog }));
      attempt(events, 0);
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
