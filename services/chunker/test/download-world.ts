import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogImports } from '@natster/claims';
import { createCatalog, type ResolvedFile } from '@natster/catalog';
import { createXKey } from '@natster/crypto';
import { DownloadReply, TransferAck, patterns, subjects, unscoped } from '@natster/protocol';
import { call, encodeJson, startService, type Logger, type Msg, type NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub, type TestUser } from '@natster/testing';
import { downloadRoute } from '../../catalog/src/server/download';
import { loadServedCatalogs, startChunker, type Chunker, type ChunkerOptions } from '../src/index';

export const CATALOG = 'films';

export interface DownloadWorld {
  hub: TestHub;
  owner: TestUser;
  /** Accounts that imported the catalog, by name. */
  readers: Map<string, NatsConnection>;
  chunker: Chunker;
  files: Map<string, ResolvedFile>;
  stop(): Promise<void>;
}

/**
 * A real nats-server, an owner serving catalog `films` (the given files)
 * through the real download route and a real chunker, and importer
 * accounts connected. Everything is stopped by `stop()`.
 */
export async function startDownloadWorld(options: {
  files: Record<string, Uint8Array>;
  readers: string[];
  logger: Logger;
  chunker: Omit<ChunkerOptions, 'nc' | 'logger' | 'catalogs'>;
}): Promise<DownloadWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'natster-chunker-world-'));
  const media = join(dir, 'media');
  await mkdir(media);
  const files = new Map<string, ResolvedFile>();
  for (const [name, bytes] of Object.entries(options.files)) {
    await writeFile(join(media, name), bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = { absPath: join(media, name), relPath: name, size: bytes.length, sha256, mime_type: 'application/octet-stream' };
    files.set(name, file).set(sha256, file);
  }
  const { store } = await createCatalog(join(dir, 'catalogs'), { name: CATALOG, description: 'flow control under test', root: media });
  const hub = await startTestHub({ demoCatalog: null });
  const owner = await hub.createUser('owner');
  const readers = new Map<string, NatsConnection>();
  for (const name of options.readers) {
    const reader = await hub.createUser(name);
    await hub.pushAccount(name, reader.account, catalogImports(reader.account, CATALOG, owner.account));
    readers.set(name, await reader.connect());
  }
  const ownerNc = await owner.connect();
  const catalogs = await loadServedCatalogs(join(dir, 'catalogs'), { names: [CATALOG], logger: options.logger });
  const chunker = await startChunker({ nc: ownerNc, logger: options.logger, catalogs, ...options.chunker });
  const routes = [
    downloadRoute({
      nc: ownerNc,
      catalog: CATALOG,
      root: media,
      logger: options.logger,
      resolve: async (key) => files.get(key) ?? null,
      contentId: () => store.contentId,
      onRevoked: () => () => undefined,
    }),
  ];
  const opOf = (subject: string) => unscoped(subject).split('.')[3] ?? null;
  await startService(ownerNc, { name: 'test-catalog', version: '0.0.1', description: 'download route', queue: 'test-catalog', logger: options.logger }, [
    { name: 'shared', subject: patterns.catalogOpsOf(CATALOG), opOf, routes },
  ]);
  return {
    hub,
    owner,
    readers,
    chunker,
    files,
    async stop() {
      await chunker.stop();
      await hub.stop();
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
