import { join } from 'node:path';
import { Codes, NatsterError } from '@natster/protocol';
import type { Logger, NatsConnection } from '@natster/nats';
import { createCatalog, rescanCatalog } from './catalog-ops';
import { ensureDemoFiles, DEMO_CATALOG } from './demo';
import { startCatalogServer, type CatalogServer, type CatalogServerGlobal, type CatalogServerOptions } from './server/catalog-server';
import { CatalogStore } from './store/catalog-store';

type Tuning = Pick<CatalogServerOptions, 'heartbeatMs' | 'rescanMs' | 'watch' | 'say'>;

/**
 * `natster catalog serve NAME [NAME…]`: loads the named catalogs of a
 * context, brings each up to date with its folder, and serves them.
 */
export async function serveCatalogs(options: {
  nc: NatsConnection;
  account: string;
  /** Where the context keeps its catalogs (catalogsDir(context)). */
  dir: string;
  names: string[];
  global: CatalogServerGlobal;
  logger: Logger;
} & Tuning): Promise<CatalogServer> {
  if (options.names.length === 0) throw new NatsterError(Codes.badRequest, 'name at least one catalog to serve');
  const stores = await Promise.all([...new Set(options.names)].map((name) => CatalogStore.load(options.dir, name)));
  for (const store of stores) await rescanCatalog(store);
  const { names: _names, dir: _dir, ...rest } = options;
  return startCatalogServer({ ...rest, catalogs: stores });
}

/**
 * The hub's demo catalog, served by the HUB account to every account
 * (allow-all). Its files are generated on first start in `<hub dir>/demo`.
 */
export async function startHubCatalog(options: {
  nc: NatsConnection;
  /** The HUB account's public key. */
  account: string;
  hubDir: string;
  /** The demo catalog's name (hub.json `demo_catalog`). */
  catalog?: string;
  global: CatalogServerGlobal;
  logger: Logger;
  ffmpeg?: string;
} & Tuning): Promise<CatalogServer> {
  const { hubDir, ffmpeg, catalog = DEMO_CATALOG.name, ...rest } = options;
  const root = join(hubDir, 'demo');
  const dir = join(hubDir, 'catalogs');
  await ensureDemoFiles(root, { logger: options.logger, ...(ffmpeg ? { ffmpeg } : {}) });
  let store: CatalogStore;
  try {
    store = await CatalogStore.load(dir, catalog);
    await rescanCatalog(store);
  } catch (err) {
    if (!(err instanceof NatsterError && err.code === Codes.notFound)) throw err;
    store = (await createCatalog(dir, { name: catalog, description: DEMO_CATALOG.description, root })).store;
  }
  return startCatalogServer({ ...rest, catalogs: [store], allowAll: true });
}
