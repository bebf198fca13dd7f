import { watch, type FSWatcher } from 'node:fs';
import { access, constants, realpath } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { CatalogStore, listCatalogNames, resolveUnderRoot } from '@natster/catalog';
import type { Logger } from '@natster/nats';

/** A file this chunker may send: found by hash in a catalog it serves, resolved under that catalog's root. */
export interface ServedFile {
  path: string;
  size: number;
}

/** One catalog served here, as this host's copy has it now. */
export interface ServedCatalog {
  name: string;
  /** The copy's content id: this chunker takes starts on `chunkerStart(name, contentId)` only. */
  contentId: string;
  revision: number;
  files: number;
  /** The real folder its files are read from. */
  root: string;
}

/** The catalogs a chunker takes transfers of, and how it finds their files. */
export interface ServedCatalogs {
  names: readonly string[];
  /** Each served catalog as its copy here is now. */
  current(): ServedCatalog[];
  /** Null when the catalog is not served here or the hash is not (or no longer) in it. */
  resolve(catalog: string, hash: string): Promise<ServedFile | null>;
  /**
   * Calls `listener` whenever a copy's content id changed (the catalog server
   * here rescanned, or a newer copy was imported): the chunker then listens on
   * the new start subject. Returns a function that stops watching.
   */
  watch(listener: () => void): () => void;
}

interface Served {
  store: CatalogStore;
  /** The folder as configured (the copy's root, or the `roots` override)… */
  root: string;
  /** …and its real path; null while this host cannot read it. */
  realRoot: string | null;
}

async function readableRoot(root: string): Promise<string> {
  const realRoot = await realpath(resolvePath(root)).catch((error: unknown) => {
    throw new Error(`its folder ${root} is missing here`, { cause: error });
  });
  await access(realRoot, constants.R_OK | constants.X_OK);
  return realRoot;
}

/** How often the catalog files are looked at (a stat each) besides fs.watch of their folder. */
const POLL_MS = 1000;

/**
 * Loads the owner's catalogs from `dir` (the context's catalog folder): the
 * ones named, or every one whose root this host can read. `roots` reads a
 * catalog's files from another folder than the one it was made from (a NAS
 * that mounts the laptop's files elsewhere). A chunker never takes a path
 * from a request: it looks the hash up in its own copy of the catalog
 * (re-read when the catalog server rescans or a copy is imported) and
 * resolves the entry under the real root, as the catalog server does.
 */
export async function loadServedCatalogs(
  dir: string,
  options: { names?: readonly string[]; roots?: Readonly<Record<string, string>>; logger: Logger },
): Promise<ServedCatalogs> {
  const explicit = options.names && options.names.length > 0;
  const names = explicit ? [...new Set(options.names)] : await listCatalogNames(dir);
  const served = new Map<string, Served>();
  for (const name of names) {
    try {
      const store = await CatalogStore.load(dir, name);
      const root = options.roots?.[name] ?? store.root;
      served.set(name, { store, root, realRoot: await readableRoot(root) });
    } catch (error) {
      if (explicit) throw new Error(`cannot serve catalog ${name} here: ${(error as Error).message}; check its folder (\`--root DIR\` if this host sees the files elsewhere), or run the chunker on the host that has it`, { cause: error });
      options.logger.info('not serving a catalog whose folder is not readable here', { catalog: name, error });
    }
  }

  /** A newer copy may name another folder (unless `roots` overrides it): follow it, or stop serving a folder this host cannot read. */
  const followRoot = async (catalog: string, entry: Served): Promise<void> => {
    const root = options.roots?.[catalog] ?? entry.store.root;
    if (root === entry.root) return;
    entry.root = root;
    entry.realRoot = await readableRoot(root).catch((error: unknown) => {
      options.logger.warn('not serving a catalog whose new folder is not readable here', { catalog, root, error });
      return null;
    });
  };

  const listeners = new Set<() => void>();
  const current = (): ServedCatalog[] =>
    [...served].flatMap(([name, { store, realRoot }]) => (realRoot === null ? [] : [{ name, contentId: store.contentId, revision: store.revision, files: store.entries.length, root: realRoot }]));
  const contentKey = () => current().map((c) => `${c.name}:${c.contentId}`).join(',');
  let lastKey = contentKey();
  let refreshing: Promise<void> | null = null;

  /** Re-reads changed copies (a stat when nothing changed) and tells the listeners when a content id moved. */
  const refresh = (): Promise<void> =>
    (refreshing ??= (async () => {
      for (const [catalog, entry] of served) {
        const changed = await entry.store.reloadIfChanged().catch((error: unknown) => options.logger.warn('cannot re-read a catalog', { catalog, error }));
        if (changed) await followRoot(catalog, entry);
      }
      const key = contentKey();
      if (key !== lastKey) {
        lastKey = key;
        for (const listener of listeners) listener();
      }
    })().finally(() => (refreshing = null)));

  let poll: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  const startWatching = (): void => {
    poll = setInterval(() => void refresh(), POLL_MS);
    poll.unref();
    try {
      // Saves are atomic renames into this folder: fs.watch sees them at once.
      watcher = watch(dir, { persistent: false }, () => void refresh());
      watcher.on('error', () => undefined);
    } catch {
      // the poll alone will do
    }
  };
  const stopWatching = (): void => {
    if (poll) clearInterval(poll);
    watcher?.close();
    poll = null;
    watcher = null;
  };

  return {
    names: [...served.keys()],
    current,
    async resolve(catalog, hash) {
      const entry = served.get(catalog);
      if (!entry) return null;
      // The catalog server rescans and saves; follow it (a stat when nothing changed).
      await refresh();
      if (entry.realRoot === null) return null;
      const file = entry.store.byHashOrPath(hash);
      if (!file || file.hash !== hash) return null;
      const path = await resolveUnderRoot(entry.realRoot, file.path);
      return path ? { path, size: file.size } : null;
    },
    watch(listener) {
      listeners.add(listener);
      if (listeners.size === 1) startWatching();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopWatching();
      };
    },
  };
}
