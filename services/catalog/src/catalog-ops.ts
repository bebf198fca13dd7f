import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Codes, NatsterError } from '@natster/protocol';
import { createHashPool, type Hasher } from './scan/hash-pool';
import { scanRoot, type ScanProgress, type ScanResult } from './scan/scan';
import { CatalogStore } from './store/catalog-store';

export interface ScanCallOptions {
  /** Re-use a pool (the server keeps one); otherwise one is made for this scan. */
  hasher?: Hasher;
  onProgress?: (progress: ScanProgress) => void;
}

/** The folder a catalog file lives in is never catalogued itself (it would change on every save). */
async function stateDirs(store: CatalogStore): Promise<string[]> {
  const dir = dirname(store.path);
  await mkdir(dir, { recursive: true });
  return [await realpath(dir)];
}

async function withHasher<T>(options: ScanCallOptions, fn: (hasher: Hasher) => Promise<T>): Promise<T> {
  if (options.hasher) return fn(options.hasher);
  const hasher = createHashPool();
  try {
    return await fn(hasher);
  } finally {
    await hasher.destroy();
  }
}

/** `natster catalog new`: scans `root` and writes the new catalog to `dir`. */
export async function createCatalog(
  dir: string,
  fields: { name: string; description: string; root: string },
  options: ScanCallOptions = {},
): Promise<{ store: CatalogStore; result: ScanResult }> {
  let root: string;
  try {
    root = await realpath(fields.root);
    if (!(await stat(root)).isDirectory()) throw new Error('not a folder');
  } catch {
    throw new NatsterError(Codes.badRequest, `${fields.root} is not a folder I can read: pass the folder to share`);
  }
  const store = await CatalogStore.create(dir, { ...fields, root });
  const exclude = await stateDirs(store);
  const result = await withHasher(options, (hasher) => scanRoot(root, { hasher, exclude, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }));
  store.replaceEntries(result.entries, false);
  await store.save();
  return { store, result };
}

/** Incremental rescan: only new or changed files (size or mtime) are hashed; saves when anything changed. */
export async function rescanCatalog(store: CatalogStore, options: ScanCallOptions = {}): Promise<ScanResult> {
  const exclude = await stateDirs(store);
  const result = await withHasher(options, (hasher) =>
    scanRoot(store.root, { hasher, exclude, previous: store.entries, ...(options.onProgress ? { onProgress: options.onProgress } : {}) }),
  );
  const changed = result.added.length + result.changed.length + result.removed.length > 0;
  if (changed) {
    store.replaceEntries(result.entries, true);
    await store.save();
  }
  return result;
}
