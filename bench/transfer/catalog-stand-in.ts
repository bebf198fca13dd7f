import { downloadRoute } from '../../services/catalog/src/server/download';
import { patterns, unscoped } from '@natster/protocol';
import { startService, type Logger, type NatsConnection } from '@natster/nats';

/**
 * The catalog server's real download route (services/catalog download.ts)
 * serving one fixed file, for when the full catalog server cannot be run
 * here: everything after authorization is the same code path.
 */
export async function startDownloadRoute(nc: NatsConnection, options: { catalog: string; file: string; size: number; sha256: string; logger: Logger }) {
  const file = { absPath: options.file, relPath: 'bench.bin', size: options.size, sha256: options.sha256, mime_type: 'application/octet-stream' };
  const route = downloadRoute({
    nc,
    catalog: options.catalog,
    root: options.file,
    logger: options.logger,
    resolve: async (key) => (key === file.sha256 || key === file.relPath ? file : null),
    onRevoked: () => () => undefined,
  });
  const opOf = (subject: string) => unscoped(subject).split('.')[3] ?? null;
  return startService(nc, { name: 'bench-catalog', version: '0.0.1', description: 'download route for the benchmark', queue: 'bench-catalog', logger: options.logger }, [
    { name: 'shared', subject: patterns.catalogOpsOf(options.catalog), opOf, routes: [route] },
  ]);
}
