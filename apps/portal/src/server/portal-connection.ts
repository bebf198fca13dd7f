import { connectNatster, createLogger, type NatsConnection } from '@natster/nats';
import { portalEnv } from './env';
import { processSingleton } from './process-singleton';

const log = createLogger('portal');

/**
 * The PORTAL account's connection: portal-only calls (otc.claim,
 * context.get) and the session bucket. One per process, reconnecting forever.
 */
export function portalConnection(): Promise<NatsConnection> {
  const holder = processSingleton('portal-connection', () => ({ nc: undefined as Promise<NatsConnection> | undefined }));
  holder.nc ??= (async () => {
    const env = await portalEnv();
    const nc = await connectNatster({ servers: env.natsUrl, creds: env.portalCreds, name: 'natster-portal', ...(env.caFile ? { caFile: env.caFile } : {}) });
    log.info('connected to the hub as the PORTAL account', { server: nc.getServer() });
    void nc.closed().then(() => (holder.nc = undefined));
    return nc;
  })().catch((err: unknown) => {
    holder.nc = undefined;
    throw err;
  });
  return holder.nc;
}
