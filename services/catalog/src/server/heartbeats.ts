import type { HeartbeatReply, HeartbeatRequest } from '@natster/protocol';
import type { Logger } from '@natster/nats';

export interface HeartbeatSource {
  name: string;
  revision: number;
  files: number;
}

export interface Heartbeats {
  /** Sends at once: one catalog (after a change) or all (after a reconnect). */
  beat(catalog?: HeartbeatSource): void;
  /** Stops beating, waits for beats in flight, then announces every catalog offline. */
  stop(): Promise<void>;
}

/** Never beat more often than this, whatever the global service asks. */
const MIN_PERIOD_MS = 100;
/** First retry of a failed beat; doubles up to the period, so a global service back from a restart sees us within seconds. */
const FIRST_RETRY_MS = 1000;
/** A clean stop does not wait longer than this for the offline announce. */
const OFFLINE_TIMEOUT_MS = 2000;

/**
 * Tells the global service every `periodMs` that each catalog is online and
 * at which revision. When the global service asks for a shorter period, it
 * gets it. A failed beat is logged (once), never fatal, and retried sooner
 * than the next period. On stop each catalog is announced offline, so
 * dashboards do not show a stopped server online for three periods.
 */
export function startHeartbeats(options: {
  catalogs: () => HeartbeatSource[];
  send: (beat: HeartbeatRequest) => Promise<HeartbeatReply>;
  sendOffline: (catalog: string) => Promise<unknown>;
  periodMs: number;
  logger: Logger;
}): Heartbeats {
  let failing = false;
  let stopped = false;
  let period = options.periodMs;
  let timer: NodeJS.Timeout;
  const retries = new Map<string, { timer: NodeJS.Timeout; delayMs: number }>();
  const inflight = new Set<Promise<void>>();

  const retryLater = (c: HeartbeatSource) => {
    const delayMs = Math.min((retries.get(c.name)?.delayMs ?? FIRST_RETRY_MS / 2) * 2, period);
    clearTimeout(retries.get(c.name)?.timer);
    const current = () => options.catalogs().find((x) => x.name === c.name) ?? c;
    retries.set(c.name, { delayMs, timer: setTimeout(() => sendOne(current()), delayMs) });
  };
  const sendOne = (c: HeartbeatSource) => {
    if (stopped) return;
    const sending = (async () => {
      try {
        const reply = await options.send({ catalog: c.name, revision: c.revision, files: c.files });
        clearTimeout(retries.get(c.name)?.timer);
        retries.delete(c.name);
        if (!stopped && reply.period_ms < period) {
          period = Math.max(reply.period_ms, MIN_PERIOD_MS);
          clearInterval(timer);
          timer = setInterval(beatAll, period);
        }
        if (failing) options.logger.info('heartbeats reach the global service again');
        failing = false;
      } catch (err) {
        if (!failing) options.logger.warn('heartbeat failed; the catalog may show as offline until one gets through', { catalog: c.name, error: err });
        failing = true;
        if (!stopped) retryLater(c);
      }
    })();
    inflight.add(sending);
    void sending.finally(() => inflight.delete(sending));
  };
  const beatAll = () => options.catalogs().forEach(sendOne);
  timer = setInterval(beatAll, period);
  beatAll();
  return {
    beat: (catalog) => (catalog ? sendOne(catalog) : beatAll()),
    async stop() {
      stopped = true;
      clearInterval(timer);
      for (const retry of retries.values()) clearTimeout(retry.timer);
      // a beat still in flight must not land after the offline announce and bring the catalog back
      await withTimeout(Promise.all(inflight), OFFLINE_TIMEOUT_MS).catch(() => undefined);
      await Promise.all(
        options.catalogs().map(async (c) => {
          try {
            await withTimeout(options.sendOffline(c.name), OFFLINE_TIMEOUT_MS);
          } catch (err) {
            options.logger.warn('could not announce the catalog offline; it shows offline after three silent periods', { catalog: c.name, error: err });
          }
        }),
      );
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
