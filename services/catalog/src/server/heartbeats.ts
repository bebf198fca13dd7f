import type { HeartbeatRequest } from '@natster/protocol';
import type { Logger } from '@natster/nats';

export interface HeartbeatSource {
  name: string;
  revision: number;
  files: number;
}

/**
 * Tells the global service every `periodMs` that each catalog is online and
 * at which revision; `beat()` sends at once (after a change). A global
 * service that does not answer is logged, never fatal.
 */
export function startHeartbeats(options: {
  catalogs: () => HeartbeatSource[];
  send: (beat: HeartbeatRequest) => Promise<unknown>;
  periodMs: number;
  logger: Logger;
}): { beat(catalog?: HeartbeatSource): void; stop(): void } {
  let failing = false;
  const sendOne = async (c: HeartbeatSource) => {
    try {
      await options.send({ catalog: c.name, revision: c.revision, files: c.files });
      if (failing) options.logger.info('heartbeats reach the global service again');
      failing = false;
    } catch (err) {
      if (!failing) options.logger.warn('heartbeat failed; the catalog may show as offline', { catalog: c.name, error: err });
      failing = true;
    }
  };
  const beatAll = () => void Promise.all(options.catalogs().map(sendOne));
  const timer = setInterval(beatAll, options.periodMs);
  beatAll();
  return {
    beat: (catalog) => (catalog ? void sendOne(catalog) : beatAll()),
    stop: () => clearInterval(timer),
  };
}
