import { access, constants, realpath } from 'node:fs/promises';
import { CatalogStore, listCatalogNames, resolveUnderRoot } from '@natster/catalog';
import type { Logger } from '@natster/nats';

/** A file this chunker may send: found by hash in a catalog it serves, resolved under that catalog's root. */
export interface ServedFile {
  path: string;
  size: number;
}

/** The catalogs a chunker takes transfers of, and how it finds their files. */
export interface ServedCatalogs {
  names: readonly string[];
  /** Null when the catalog is not served here or the hash is not (or no longer) in it. */
  resolve(catalog: string, hash: string): Promise<ServedFile | null>;
}

interface Served {
  store: CatalogStore;
  realRoot: string;
}

/**
 * Loads the owner's catalogs from `dir` (the context's catalog folder): the
 * ones named, or every one whose root this host can read. A chunker never
 * takes a path from a request: it looks the hash up in its own copy of the
 * catalog (re-read when the catalog server rescans) and resolves the entry
 * under the real root, as the catalog server does.
 */
export async function loadServedCatalogs(dir: string, options: { names?: readonly string[]; logger: Logger }): Promise<ServedCatalogs> {
  const explicit = options.names && options.names.length > 0;
  const names = explicit ? [...new Set(options.names)] : await listCatalogNames(dir);
  const served = new Map<string, Served>();
  for (const name of names) {
    try {
      const store = await CatalogStore.load(dir, name);
      const realRoot = await realpath(store.root);
      await access(realRoot, constants.R_OK | constants.X_OK);
      served.set(name, { store, realRoot });
    } catch (error) {
      if (explicit) throw new Error(`cannot serve catalog ${name} here: ${(error as Error).message}; check its folder, or run the chunker on the host that has it`, { cause: error });
      options.logger.info('not serving a catalog whose folder is not readable here', { catalog: name, error });
    }
  }
  return {
    names: [...served.keys()],
    async resolve(catalog, hash) {
      const entry = served.get(catalog);
      if (!entry) return null;
      // The catalog server rescans and saves; follow it (a stat when nothing changed).
      await entry.store.reloadIfChanged().catch((error: unknown) => options.logger.warn('cannot re-read a catalog', { catalog, error }));
      const file = entry.store.byHashOrPath(hash);
      if (!file || file.hash !== hash) return null;
      const path = await resolveUnderRoot(entry.realRoot, file.path);
      return path ? { path, size: file.size } : null;
    },
  };
}
