import { createLogger } from '@natster/nats';
import { startAuthority, SERVICE_NAME } from './authority';
import { readEnv } from './env';

const logger = createLogger(SERVICE_NAME);

try {
  const env = readEnv();
  const authority = await startAuthority({
    hubDir: env.hubDir,
    logger,
    ...(env.url ? { url: env.url } : {}),
    ...(env.credsPath ? { credsPath: env.credsPath } : {}),
    ...(env.caFile ? { caFile: env.caFile } : {}),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info('stopping', { signal });
      void authority.stop().then(() => process.exit(0));
    });
  }
} catch (err) {
  logger.error('could not start', { error: err });
  process.exit(1);
}
