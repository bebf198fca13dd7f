import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CatalogClient } from '@natster/client';
import { createXKey } from '@natster/crypto';
import { createCatalog, startCatalogServer, type CatalogServer, type CatalogStore } from '@natster/catalog';
import { DownloadReply, TransferAck, subjects } from '@natster/protocol';
import { call, encodeJson, type Logger, type Msg, type NatsConnection } from '@natster/nats';
import { eventually, importCatalog, shareCatalog, startWorld, unshareCatalog, type Person, type World } from '../../catalog/test/world';
import { loadServedCatalogs, startChunker, type Chunker, type ChunkerOptions, type ServedCatalogs } from '../src/index';

export const CATALOG = 'films';

/** A file of the catalog as the real scanner catalogued it. */
export interface CataloguedFile {
  absPath: string;
  relPath: string;
  size: number;
  sha256: string;
}

export interface DownloadWorld {
  world: World;
  owner: Person;
  /** Accounts the owner shared the catalog with and that imported it, by name. */
  readers: Map<string, Person>;
  /** The owner's real catalog server (share checks, download route, revocations). */
  server: CatalogServer;
  store: CatalogStore;
  chunker: Chunker;
  /** Everything needed to run another chunker of this catalog, in-process or as `src/main.ts`. */
  catalogsDir: string;
  /** The catalogued files, by path and by hash. */
  files: Map<string, CataloguedFile>;
  /** Writes a file into the catalog's folder and has the catalog server rescan it. */
  addFile(name: string, bytes: Uint8Array): Promise<CataloguedFile>;
  /** Another in-process chunker of the owner's (own connection), stopped by `stop()`. */
  startAnotherChunker(options?: Omit<ChunkerOptions, 'nc' | 'logger' | 'catalogs'>): Promise<Chunker>;
  /** `natster catalog share` to a reader; resolves once the reader may list the catalog. */
  share(reader: string): Promise<void>;
  /** `natster catalog unshare` of a reader (the catalog_unshared event through the global service). */
  unshare(reader: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real hub (nats-server, global service, authority), an owner serving
 * catalog `films` (made by the real scanner from the given files) with the
 * real catalog server and a real chunker, and readers the owner shared the
 * catalog with through the global service and that imported it through the
 * authority. Everything is stopped by `stop()`.
 */
export async function startDownloadWorld(options: {
  files: Record<string, Uint8Array>;
  readers: string[];
  logger: Logger;
  chunker: Omit<ChunkerOptions, 'nc' | 'logger' | 'catalogs'>;
}): Promise<DownloadWorld> {
  const { logger } = options;
  const dir = await mkdtemp(join(tmpdir(), 'natster-chunker-world-'));
  const media = join(dir, 'media');
  const catalogsDir = join(dir, 'catalogs');
  await mkdir(media);
  for (const [name, bytes] of Object.entries(options.files)) await writeFile(join(media, name), bytes);
  const { store } = await createCatalog(catalogsDir, { name: CATALOG, description: 'downloads under test', root: media });
  const world = await startWorld();
  const owner = await world.signUp('owner');
  // Rescans only when a test adds a file, so every download sees the catalog the test made.
  const server = await startCatalogServer({ nc: owner.nc, account: owner.account, catalogs: [store], global: owner.global, logger, watch: false, rescanMs: 0 });
  /** The running chunkers, with their copies of the catalog. */
  const running = new Set<{ chunker: Chunker; catalogs: ServedCatalogs }>();
  let started = 0;
  const startAnotherChunker = async (chunkerOptions: Omit<ChunkerOptions, 'nc' | 'logger' | 'catalogs'> = options.chunker): Promise<Chunker> => {
    const catalogs = await loadServedCatalogs(catalogsDir, { names: [CATALOG], logger });
    const chunker = await startChunker({ nc: await owner.connect(`chunker-${started++}`), logger, catalogs, ...chunkerOptions });
    const entry = { chunker, catalogs };
    running.add(entry);
    return {
      stats: () => chunker.stats(),
      stop: () => {
        running.delete(entry);
        return chunker.stop();
      },
    };
  };
  const chunker = await startAnotherChunker();

  const files = new Map<string, CataloguedFile>();
  const catalogued = (): void => {
    files.clear();
    for (const entry of store.entries) {
      const file = { absPath: join(media, entry.path), relPath: entry.path, size: entry.size, sha256: entry.hash };
      files.set(entry.path, file).set(entry.hash, file);
    }
  };
  catalogued();

  const readers = new Map<string, Person>();
  const reader = (name: string): Person => {
    const person = readers.get(name);
    if (!person) throw new Error(`no reader ${name} in this world`);
    return person;
  };
  const mayList = (name: string) => eventually(() => new CatalogClient(reader(name).nc, 3_000).page(CATALOG), 15_000);
  for (const name of options.readers) {
    const person = await world.signUp(name);
    readers.set(name, person);
    await shareCatalog(owner, person, CATALOG);
    await importCatalog(person, owner, CATALOG);
    await mayList(name);
  }

  return {
    world,
    owner,
    readers,
    server,
    store,
    chunker,
    catalogsDir,
    files,
    async addFile(name, bytes) {
      await writeFile(join(media, name), bytes);
      await server.rescan();
      catalogued();
      // every running chunker follows the rescan, so the next download finds the file wherever its start lands
      await eventually(async () => ([...running].every((r) => r.catalogs.current()[0]?.contentId === store.contentId) ? true : undefined), 15_000);
      const file = files.get(name);
      if (!file) throw new Error(`the scanner did not catalogue ${name}`);
      return file;
    },
    startAnotherChunker,
    async share(name) {
      await shareCatalog(owner, reader(name), CATALOG);
      await mayList(name);
    },
    unshare: (name) => unshareCatalog(owner, reader(name), CATALOG),
    async stop() {
      await Promise.allSettled([...running].map((r) => r.chunker.stop()));
      await server.stop();
      await world.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A receiver speaking the protocol by hand: it records every message and acks only when told. */
export interface RawReceiver {
  reply: DownloadReply;
  messages: { at: number; msg: Msg }[];
  ack(body: TransferAck | Record<string, unknown>): void;
}

export async function rawReceiver(nc: NatsConnection, hash: string): Promise<RawReceiver> {
  const reply = await call(nc, subjects.catalog(CATALOG, 'download'), { hash, target_xkey: createXKey().publicKey }, DownloadReply);
  const messages: { at: number; msg: Msg }[] = [];
  nc.subscribe(subjects.media(CATALOG, reply.transfer_id), { callback: (_err, msg) => messages.push({ at: Date.now(), msg }) });
  await nc.flush();
  return { reply, messages, ack: (body) => nc.publish(subjects.transferAck(CATALOG, reply.transfer_id), encodeJson(body)) };
}
