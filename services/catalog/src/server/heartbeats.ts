import type { HeartbeatReply, HeartbeatRequest } from '@natster/protocol';
import type { Logger } from '@natster/nats';

export interface HeartbeatSource {
  name: string;
  revision: number;
  files: number;
}

/** Never beat more often than this, whatever the global service asks. */
const MIN_PERIOD_MS = 100;

/**
 * Tells the global service every `periodMs` that each catalog is online and
 * at which revision; `beat()` sends at once (after a change). When the
 * global service asks for a shorter period, it gets it. A global service
 * that does not answer is logged, never fatal.
 */
export function startHeartbeats(options: {
  catalogs: () => HeartbeatSource[];
  send: (beat: HeartbeatRequest) => Promise<HeartbeatReply>;
  periodMs: number;
  logger: Logger;
}): { beat(catalog?: HeartbeatSource): void; stop(): void } {
  let failing = false;
  let stopped = false;
  let period = options.periodMs;
  let timer: NodeJS.Timeout;
  const sendOne = async (c: HeartbeatSource) => {
    try {
      const reply = await options.send({ catalog: c.name, revision: c.revision, files: c.files });
      if (!stopped && reply.period_ms < period) {
        period = Math.max(reply.period_ms, MIN_PERIOD_MS);
        clearInterval(timer);
        timer = setInterval(beatAll, period);
      }
      if (failing) options.logger.info('heartbeats reach the global service again');
      failing = false;
    } catch (err) {
      if (!failing) options.logger.warn('heartbeat failed; the catalog may show as offline', { catalog: c.name, error: err });
      failing = true;
    }
  };
  const beatAll = () => void Promise.all(options.catalogs().map(sendOne));
  timer = setInterval(beatAll, period);
  beatAll();
  return {
    beat: (catalog) => (catalog ? void sendOne(catalog) : beatAll()),
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
