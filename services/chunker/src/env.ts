import { MAX_CHUNK_SIZE } from '@natster/protocol';
import { chunkerDefaults } from './defaults';

export interface ChunkerEnv {
  natsUrl: string;
  credsPath: string;
  threads: number;
  chunkSize: number;
  window: number;
}

function positiveInt(name: string, raw: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer between 1 and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** The only place the chunker reads the environment. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): ChunkerEnv {
  const natsUrl = env.NATS_URL;
  const credsPath = env.NATSTER_CREDS;
  if (!natsUrl) throw new Error('NATS_URL is not set: point it at the hub (e.g. nats://127.0.0.1:4222)');
  if (!credsPath) throw new Error("NATSTER_CREDS is not set: point it at a .creds file of the catalog owner's account");
  return {
    natsUrl,
    credsPath,
    threads: positiveInt('NATSTER_CHUNKER_THREADS', env.NATSTER_CHUNKER_THREADS, chunkerDefaults.threads(), 256),
    chunkSize: positiveInt('NATSTER_CHUNK_SIZE', env.NATSTER_CHUNK_SIZE, chunkerDefaults.chunkSize, MAX_CHUNK_SIZE),
    window: positiveInt('NATSTER_CHUNKER_WINDOW', env.NATSTER_CHUNKER_WINDOW, chunkerDefaults.window, 1024),
  };
}
