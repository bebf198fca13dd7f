import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createCatalog } from '@natster/catalog';
import { GlobalClient } from '@natster/client';
import { HubAccounts } from '@natster/hub';
import type { Logger, NatsConnection } from '@natster/nats';
import type { TestHub } from '@natster/testing';
import { startDownloadRoute } from './catalog-stand-in';

export interface BenchCatalog {
  /** How downloads are served, for the report. */
  via: string;
  stop(): Promise<void>;
}

/**
 * Makes the benchmark file's folder catalog `name` in `catalogsDir` (the
 * chunker finds the file there by hash) and serves it through the real
 * catalog server (with the real global service for heartbeats; allow-all
 * like the hub demo, so no share events are needed). If the catalog server
 * cannot start, falls back to its download route alone and says so.
 */
export async function startBenchCatalog(options: {
  hub: TestHub;
  nc: NatsConnection;
  account: string;
  name: string;
  catalogsDir: string;
  file: string;
  size: number;
  sha256: string;
  logger: Logger;
}): Promise<BenchCatalog> {
  const { hub, logger } = options;
  await mkdir(options.catalogsDir, { recursive: true });
  const { store } = await createCatalog(options.catalogsDir, { name: options.name, description: 'benchmark', root: dirname(options.file) });
  try {
    const { startGlobal } = await import('@natster/global');
    const { startCatalogServer } = await import('../../services/catalog/src/server/catalog-server');
    const global = await startGlobal({
      nc: await hub.connectAs(HubAccounts.global),
      portalUrl: 'http://127.0.0.1:9',
      portalAccount: hub.hub.info.accounts.PORTAL,
      authorityAccount: hub.hub.info.accounts.AUTHORITY,
      dataKey: randomBytes(32),
      logger,
    });
    const server = await startCatalogServer({ nc: options.nc, account: options.account, catalogs: [store], global: new GlobalClient(options.nc), logger, allowAll: true, watch: false, rescanMs: 0 });
    return {
      via: 'the real catalog server (allow-all, as the hub demo catalog) and the global service',
      async stop() {
        await server.stop();
        await global.stop();
      },
    };
  } catch (error) {
    logger.warn('the catalog server did not start; serving the download route alone', { error });
    const service = await startDownloadRoute(options.nc, { catalog: options.name, file: options.file, size: options.size, sha256: options.sha256, logger });
    return {
      via: `the catalog server's download route alone with a fixed file list (the catalog server did not start: ${(error as Error).message})`,
      stop: async () => {
        await service.stop();
      },
    };
  }
}
