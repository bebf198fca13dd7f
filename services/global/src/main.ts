import { createLogger } from '@natster/nats';
import { loadDataKey } from './data-key';
import { readGlobalEnv } from './env';
import { startGlobal } from './global';

const logger = createLogger('global');
const env = await readGlobalEnv();
const handle = await startGlobal({
  url: env.natsUrl,
  ...(env.caFile ? { caFile: env.caFile } : {}),
  credsPath: env.credsPath,
  dataKey: await loadDataKey(env.dataKeyFile),
  portalUrl: env.portalUrl,
  portalAccount: env.portalAccount,
  authorityAccount: env.authorityAccount,
  replicas: env.replicas,
  heartbeatPeriodMs: env.heartbeatPeriodMs,
  otcMaxAgeMs: env.otcMaxAgeMs,
  logger,
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info('stopping', { signal });
    handle.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  });
}
