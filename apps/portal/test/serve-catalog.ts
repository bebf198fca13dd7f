import { GlobalClient } from '@natster/client';
import { CatalogStore, startCatalogServer } from '@natster/catalog';
import { loadServedCatalogs, startChunker } from '@natster/chunker';
import { createLogger, type NatsConnection } from '@natster/nats';

export interface ServedCatalog {
  /** Stops the catalog server and its chunker (the owner going offline). */
  stop(): Promise<void>;
}

/**
 * Serves an owner's existing catalog (made with `createCatalog` in `dir`) the
 * way `natster catalog serve` does: the catalog server and a chunker for it,
 * on the owner's two connections.
 */
export async function serveCatalog(options: { nc: NatsConnection; chunkerNc: NatsConnection; account: string; dir: string; name: string; heartbeatMs?: number; allowAll?: boolean }): Promise<ServedCatalog> {
  const logger = createLogger('catalog', { level: 'error' });
  const store = await CatalogStore.load(options.dir, options.name);
  const server = await startCatalogServer({
    nc: options.nc,
    account: options.account,
    catalogs: [store],
    global: new GlobalClient(options.nc),
    logger,
    heartbeatMs: options.heartbeatMs ?? 500,
    ...(options.allowAll ? { allowAll: true } : {}),
  });
  const catalogs = await loadServedCatalogs(options.dir, { names: [options.name], logger });
  const chunker = await startChunker({ nc: options.chunkerNc, logger: createLogger('chunker', { level: 'error' }), catalogs });
  return {
    async stop() {
      await server.stop();
      await chunker.stop();
    },
  };
}
