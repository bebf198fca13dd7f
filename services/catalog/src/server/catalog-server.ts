import {
  CatalogGetRequest,
  Codes,
  NatsterError,
  InboxRequest,
  EventTypes,
  patterns,
  subjects,
  unscoped,
  type InboxReply,
} from '@natster/protocol';
import { onReconnects, route, startService, type Logger, type NatsConnection, type Route } from '@natster/nats';
import { pendingShares, type GlobalClient } from '@natster/client';
import { createHashPool } from '../scan/hash-pool';
import { DEFAULT_PAGE_BYTES, pageOf } from '../paging';
import type { CatalogStore } from '../store/catalog-store';
import { downloadRoute } from './download';
import { startHeartbeats, type Heartbeats } from './heartbeats';
import { LiveCatalog } from './live-catalog';
import type { RouteContext } from './route-context';
import { ShareAccess, type RevocationListener } from './share-access';

/** The global-service calls a catalog server makes (a GlobalClient). */
export type CatalogServerGlobal = Pick<GlobalClient, 'myShares' | 'heartbeat' | 'heartbeatOffline' | 'watchEvents'>;

export interface CatalogServerOptions {
  nc: NatsConnection;
  /** The owner's account key (the account `nc` is connected to). */
  account: string;
  catalogs: CatalogStore[];
  global: CatalogServerGlobal;
  logger: Logger;
  /** Serve every account without checking shares. Only for the hub's demo catalog. */
  allowAll?: boolean;
  heartbeatMs?: number;
  /** Periodic rescan (besides watching the root); 0 disables it. */
  rescanMs?: number;
  watch?: boolean;
  /** Byte budget of one `get` page; keep it far below the server's max_payload. */
  pageBytes?: number;
  /** How long a shares snapshot is trusted (events change it at once regardless). */
  shareTtlMs?: number;
  /** Plain lines for the owner's terminal (`catalog serve`), besides the structured log. */
  say?: (line: string) => void;
}

export interface CatalogServer {
  /** Registers a listener called with (account, catalog) when an account loses access. */
  onRevoked(listener: RevocationListener): () => void;
  /** Rescans every served catalog now (tests, `SIGHUP`). */
  rescan(): Promise<void>;
  stop(): Promise<void>;
}

export const CATALOG_SERVICE = { name: 'natster-catalog', version: '0.1.0', queue: 'natster-catalog' } as const;

/** Computes the content id when the catalog changes (~0.2 s at 100,000 entries, mostly sorting), not in the next download's start. */
const warmContentId = (store: CatalogStore): string => store.contentId;

/** The operation of `[ACCOUNT.]natster.catalog.<name>.<op>`. */
const catalogOpOf = (subject: string): string | null => unscoped(subject).split('.')[3] ?? null;

/**
 * Serves catalogs to their owner (`natster.catalog.<name>.*`) and to the
 * accounts they are shared with (`*.natster.catalog.<name>.*`, caller =
 * token 1), authorizing every request; keeps catalogs current, sends
 * heartbeats, and answers the owner's `natster.local.inbox`.
 */
export async function startCatalogServer(options: CatalogServerOptions): Promise<CatalogServer> {
  const { nc, logger, global } = options;
  if (options.allowAll) {
    logger.warn('ALLOW-ALL MODE: every account may list and download these catalogs without a share. Use it only for the hub demo catalog.', {
      catalogs: options.catalogs.map((c) => c.name),
    });
  }
  const access = new ShareAccess({
    owner: options.account,
    logger,
    ...(options.shareTtlMs !== undefined ? { ttlMs: options.shareTtlMs } : {}),
    fetchShares: async () =>
      (await global.myShares()).filter((s) => s.owner === options.account && s.shared).map((s) => ({ catalog: s.catalog, account: s.target })),
  });
  const authorize = (catalog: string, caller: string | null) => (options.allowAll ? Promise.resolve() : access.authorize(catalog, caller));

  const hasher = createHashPool({ threads: 2 });
  const heartbeatSource = (store: CatalogStore) => ({ name: store.name, revision: store.revision, files: store.entries.length });
  let heartbeats: Heartbeats | null = null;
  const lives = await Promise.all(
    options.catalogs.map((store) =>
      LiveCatalog.start(store, {
        hasher,
        logger,
        rescanMs: options.rescanMs ?? 60_000,
        watch: options.watch ?? true,
        onChange: (changed) => {
          warmContentId(changed);
          heartbeats?.beat(heartbeatSource(changed));
        },
        onRootChange: (live, present) =>
          options.say?.(
            present
              ? `the folder of catalog ${live.name} is back (${live.realRoot}); serving it again`
              : `the folder of catalog ${live.name} is gone (${live.realRoot}): friends see it as unavailable until you put it back`,
          ),
      }),
    ),
  );

  for (const l of lives) warmContentId(l.store);

  const guarded = (catalog: string, r: Route): Route => ({
    ...r,
    handle: async (body, ctx) => {
      await authorize(catalog, ctx.caller);
      return r.handle(body, ctx);
    },
  });
  const pageBytes = options.pageBytes ?? Math.min(DEFAULT_PAGE_BYTES, Math.floor((nc.info?.max_payload ?? 1_048_576) / 4));
  const endpoints = lives.flatMap((l) => {
    const context: RouteContext = {
      nc,
      catalog: l.name,
      root: l.realRoot,
      logger: logger.child({ catalog: l.name }),
      resolve: (key) => l.resolve(key),
      contentId: () => l.store.contentId,
      onRevoked: (listener) => access.onRevoked((account, catalog) => catalog === l.name && listener(account, catalog)),
    };
    const routes = [
      route({
        op: 'get',
        request: CatalogGetRequest,
        handle: (body) => {
          if (l.missing) throw new NatsterError(Codes.unavailable, `the folder of catalog ${l.name} is missing on its owner's machine: ask the owner to put it back`);
          return pageOf(l.store, body, pageBytes);
        },
      }),
      downloadRoute(context),
    ].map((r) => guarded(l.name, r));
    return [
      { name: `${l.name}-shared`, subject: patterns.catalogOpsOf(l.name), opOf: catalogOpOf, routes },
      { name: `${l.name}-local`, subject: patterns.localCatalogOpsOf(l.name), opOf: catalogOpOf, routes },
    ];
  });
  const inbox = route({
    op: 'inbox',
    request: InboxRequest,
    handle: async (): Promise<InboxReply> => ({ shares: pendingShares(await global.myShares(), options.account) }),
  });
  endpoints.push({ name: 'inbox', subject: subjects.localInbox(), opOf: () => 'inbox', routes: [inbox] });

  const service = await startService(
    nc,
    {
      ...CATALOG_SERVICE,
      description: 'Natster catalog server: paged listings and downloads, authorized against shares',
      logger,
      metadata: { catalogs: lives.map((l) => l.name).join(','), account: options.account },
    },
    endpoints,
  );

  // Share changes reach the owner's account on the live feed: apply them at once.
  const events = global.watchEvents([EventTypes.catalogShared, EventTypes.catalogUnshared]);
  void (async () => {
    for await (const event of events) access.applyEvent(event);
  })();
  await nc.flush();
  heartbeats = startHeartbeats({
    catalogs: () => lives.map((l) => heartbeatSource(l.store)),
    send: (beat) => global.heartbeat(beat),
    sendOffline: (catalog) => global.heartbeatOffline({ catalog }),
    periodMs: options.heartbeatMs ?? 15_000,
    logger,
  });
  // The service's subscriptions come back with the connection by themselves; what
  // does not: share events missed meanwhile (re-read shares) and presence (beat now,
  // so the catalog is online again at once rather than a period later).
  const stopWatchingConnection = onReconnects(nc, {
    lost: () => undefined,
    back: () => {
      access.invalidate();
      heartbeats?.beat();
      logger.info('connection to the hub is back; announcing the catalogs online again');
    },
  });
  logger.info('catalog server started', { catalogs: lives.map((l) => ({ name: l.name, revision: l.store.revision, files: l.store.entries.length })) });

  return {
    onRevoked: (listener) => access.onRevoked(listener),
    rescan: async () => {
      await Promise.all(lives.map((l) => l.requestRescan()));
    },
    async stop() {
      stopWatchingConnection();
      events.stop();
      await service.stop().catch(() => undefined);
      await heartbeats?.stop();
      await Promise.all(lives.map((l) => l.stop()));
      await hasher.destroy();
      logger.info('catalog server stopped');
    },
  };
}
