import { HubAccounts, credsPath, defaultHubDir, hubLayout, readHubInfo } from '@natster/hub';
import { MAX_CHUNK_SIZE } from '@natster/protocol';
import { chunkerDefaults } from './defaults';

export interface ChunkerEnv {
  natsUrl: string;
  credsPath: string;
  threads: number;
  chunkSize: number;
  window: number;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Smaller chunks only add per-message cost (a 1-byte chunk size turns 1 MiB into a million messages). */
const MIN_CHUNK_SIZE = 4096;

/**
 * The only place the chunker reads the environment. NATS_URL and
 * NATSTER_CREDS name the hub and the catalog owner's creds; without them the
 * chunker joins the hub in NATSTER_HUB_DIR (default ~/.natster/hub) as its
 * HUB account, sending the demo catalog's downloads.
 */
export async function readEnv(env: NodeJS.ProcessEnv = process.env): Promise<ChunkerEnv> {
  let natsUrl = env.NATS_URL || undefined;
  let creds = env.NATSTER_CREDS || undefined;
  if (!natsUrl || !creds) {
    const layout = hubLayout(env.NATSTER_HUB_DIR || defaultHubDir());
    const info = await readHubInfo(layout.info);
    if (!info) throw new Error(`no hub in ${layout.dir}: run \`natster hub up\`, or set NATS_URL and NATSTER_CREDS (the catalog owner's .creds)`);
    natsUrl ??= info.url;
    creds ??= credsPath(layout, HubAccounts.hub);
  }
  return {
    natsUrl,
    credsPath: creds,
    threads: integer('NATSTER_CHUNKER_THREADS', env.NATSTER_CHUNKER_THREADS, chunkerDefaults.threads(), 1, 256),
    chunkSize: integer('NATSTER_CHUNK_SIZE', env.NATSTER_CHUNK_SIZE, chunkerDefaults.chunkSize, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE),
    window: integer('NATSTER_CHUNKER_WINDOW', env.NATSTER_CHUNKER_WINDOW, chunkerDefaults.window, 1, 1024),
  };
}
