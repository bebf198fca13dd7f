import type { Logger, NatsConnection } from '@natster/nats';
import type { RevocationListener } from './share-access';

/** A catalog file resolved to a real path under the catalog root. */
export interface ResolvedFile {
  /** Real absolute path, checked to be inside the root's real path. */
  absPath: string;
  /** Path relative to the root, as listed. */
  relPath: string;
  size: number;
  sha256: string;
  mime_type: string;
}

/**
 * Everything a catalog route beyond `get` (e.g. `download`) may use. The
 * server has already authorized the caller when a route's handler runs.
 */
export interface RouteContext {
  nc: NatsConnection;
  /** The catalog this route serves. */
  catalog: string;
  /** Real path of the catalog root. */
  root: string;
  logger: Logger;
  /**
   * Finds a file by SHA-256 (or catalog path) in the catalog's store and
   * resolves it safely; null when it is not in the catalog or not servable.
   */
  resolve(hashOrPath: string): Promise<ResolvedFile | null>;
  /**
   * The catalog's content id now: transfers start on its subject, which only chunkers with the same
   * content hear. Absent only in stand-ins serving a fixed list (bench/transfer/catalog-stand-in.ts):
   * then the content of the one file asked for.
   */
  contentId?(): string;
  /** Called with (account, catalog) whenever an account loses access; returns an unsubscribe. */
  onRevoked(listener: RevocationListener): () => void;
}
