import { setTimeout as sleep } from 'node:timers/promises';
import { connectNatster, createLogger } from '@natster/nats';
import { startChunker } from './chunker';
import { readEnv } from './env';
import { loadServedCatalogs, type ServedCatalogs } from './served-catalogs';

const logger = createLogger('chunker');
const env = await readEnv();

/** The supervisor starts the hub's chunker next to the catalog server, which creates the demo catalog on first start: wait for it (2 min at most). */
async function servedCatalogs(): Promise<ServedCatalogs> {
  for (let waited = 0; ; waited += 500) {
    try {
      return await loadServedCatalogs(env.catalogsDir, { names: env.catalogs, logger });
    } catch (error) {
      if (waited >= 120_000) throw error;
      if (waited === 0) logger.info('waiting for the catalogs to exist', { catalogs: env.catalogs, dir: env.catalogsDir, error });
      await sleep(500);
    }
  }
}

const catalogs = await servedCatalogs();
const nc = await connectNatster({ servers: env.natsUrl, credsPath: env.credsPath, name: 'natster-chunker', ...(env.caFile ? { caFile: env.caFile } : {}) });
const chunker = await startChunker({ nc, logger, catalogs, threads: env.threads, chunkSize: env.chunkSize, window: env.window });
logger.info('chunker ready', { catalogs: catalogs.names, threads: env.threads, chunk_size: env.chunkSize, window: env.window });

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await chunker.stop();
  await nc.drain();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
