import { join } from 'node:path';
import { HubAccounts, credsPath, defaultHubDir, hubConnection, hubLayout, readHubInfo } from '@natster/hub';
import { MAX_CHUNK_SIZE } from '@natster/protocol';
import { chunkerDefaults } from './defaults';

export interface ChunkerEnv {
  natsUrl: string;
  /** NATSTER_CA_FILE (else, with the hub's URL, hub.json's): the CA a public hub's certificate chains to. */
  caFile: string | undefined;
  credsPath: string;
  /** The owner's catalog folder, and the catalogs to serve from it (empty: every one readable here). */
  catalogsDir: string;
  catalogs: string[];
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
 * NATSTER_CREDS name the hub and the catalog owner's creds, with
 * NATSTER_CATALOGS_DIR (the owner's catalog folder) and optionally
 * NATSTER_CATALOGS (comma-separated names; default: every catalog there
 * whose folder is readable). What is not set comes from the hub in
 * NATSTER_HUB_DIR (default ~/.natster/hub): its URL, its HUB account, and
 * the demo catalog (as the supervisor runs it).
 */
export async function readEnv(env: NodeJS.ProcessEnv = process.env): Promise<ChunkerEnv> {
  let natsUrl = env.NATS_URL || undefined;
  let creds = env.NATSTER_CREDS || undefined;
  let caFile = env.NATSTER_CA_FILE || undefined;
  let catalogsDir = env.NATSTER_CATALOGS_DIR || undefined;
  let catalogs = (env.NATSTER_CATALOGS ?? '').split(',').filter(Boolean);
  if (!natsUrl || !creds || !catalogsDir) {
    const layout = hubLayout(env.NATSTER_HUB_DIR || defaultHubDir());
    const info = await readHubInfo(layout.info);
    if (!info) throw new Error(`no hub in ${layout.dir}: run \`natster hub up\`, or set NATS_URL, NATSTER_CREDS (the catalog owner's .creds) and NATSTER_CATALOGS_DIR (their catalog folder)`);
    if (!natsUrl) caFile ??= hubConnection(info).caFile;
    natsUrl ??= info.url;
    creds ??= credsPath(layout, HubAccounts.hub);
    if (!catalogsDir) {
      // The hub's demo catalog (services/catalog startHubCatalog keeps it there).
      catalogsDir = join(layout.dir, 'catalogs');
      if (catalogs.length === 0) catalogs = [info.demo_catalog];
    }
  }
  return {
    natsUrl,
    caFile,
    credsPath: creds,
    catalogsDir,
    catalogs,
    threads: integer('NATSTER_CHUNKER_THREADS', env.NATSTER_CHUNKER_THREADS, chunkerDefaults.threads(), 1, 256),
    chunkSize: integer('NATSTER_CHUNK_SIZE', env.NATSTER_CHUNK_SIZE, chunkerDefaults.chunkSize, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE),
    window: integer('NATSTER_CHUNKER_WINDOW', env.NATSTER_CHUNKER_WINDOW, chunkerDefaults.window, 1, 1024),
  };
}
