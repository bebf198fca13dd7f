import { connectNatster, createLogger } from '@natster/nats';
import { readGlobalEnv } from './env';
import { rebuildProjections, snapshotProjections } from './rebuild-projections';

/** `natster-global rebuild`: replays the event log into fresh projection buckets. */
const logger = createLogger('global-rebuild');
const env = await readGlobalEnv();
const nc = await connectNatster({ servers: env.natsUrl, credsPath: env.credsPath, name: 'natster-global-rebuild', failFast: true, ...(env.caFile ? { caFile: env.caFile } : {}) });
const started = performance.now();
await rebuildProjections(nc, { replicas: env.replicas, logger });
const snapshot = await snapshotProjections(nc.jetstream(), env.replicas);
const counts = Object.fromEntries(Object.entries(snapshot).map(([bucket, records]) => [bucket, Object.keys(records).length]));
logger.info('projections rebuilt', { ms: Math.round(performance.now() - started), keys: counts });
await nc.drain();
