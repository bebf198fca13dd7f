import { connectNatster, createLogger } from '@natster/nats';
import { startChunker } from './chunker';
import { readEnv } from './env';

const logger = createLogger('chunker');
const env = await readEnv();
const nc = await connectNatster({ servers: env.natsUrl, credsPath: env.credsPath, name: 'natster-chunker' });
const chunker = await startChunker({ nc, logger, threads: env.threads, chunkSize: env.chunkSize, window: env.window });
logger.info('chunker ready', { threads: env.threads, chunk_size: env.chunkSize, window: env.window });

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
