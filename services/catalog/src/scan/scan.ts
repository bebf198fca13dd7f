import { realpath } from 'node:fs/promises';
import mime from 'mime';
import type { CatalogEntry } from '@natster/protocol';
import type { Hasher } from './hash-pool';
import { walkRoot, type FoundFile, type SkippedPath } from './walk';

export interface ScanProgress {
  files: number;
  totalFiles: number;
  /** Bytes looked at so far, re-used hashes included, so the bar reaches 100 %. */
  bytes: number;
  totalBytes: number;
  /** Hashing speed since the scan started. */
  bytesPerSecond: number;
}

export interface ScanResult {
  /** Sorted by path. */
  entries: CatalogEntry[];
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  skipped: SkippedPath[];
  /** Bytes actually read and hashed by this scan (0 when nothing changed). */
  hashedBytes: number;
}

export interface ScanOptions {
  hasher: Hasher;
  /** The catalog's current entries: files with the same size and mtime keep their hash. */
  previous?: readonly CatalogEntry[];
  onProgress?: (progress: ScanProgress) => void;
  /** Real paths of folders never to enter (Natster's own state). */
  exclude?: readonly string[];
}

export const mimeTypeOf = (path: string): string => mime.getType(path) ?? 'application/octet-stream';

export const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Walks the root and hashes what is new or changed, in parallel on the hash pool. */
export async function scanRoot(root: string, options: ScanOptions): Promise<ScanResult> {
  const realRoot = await realpath(root);
  const { files, skipped } = await walkRoot(realRoot, options.exclude);
  const before = new Map((options.previous ?? []).map((e) => [e.path, e]));
  // Descriptions belong to content (set by hash), so a moved or touched file keeps its own.
  const descriptions = new Map((options.previous ?? []).flatMap((e) => (e.description === undefined ? [] : [[e.hash, e.description] as const])));
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const started = performance.now();
  const progress = { files: 0, totalFiles: files.length, bytes: 0, totalBytes, bytesPerSecond: 0 };
  let hashedBytes = 0;
  const report = (file: FoundFile) => {
    progress.files += 1;
    progress.bytes += file.size;
    progress.bytesPerSecond = hashedBytes / Math.max((performance.now() - started) / 1000, 0.001);
    options.onProgress?.({ ...progress });
  };

  const entries: CatalogEntry[] = [];
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  const one = async (file: FoundFile): Promise<void> => {
    const old = before.get(file.path);
    if (old && old.size === file.size && old.mtime_ms === file.mtime_ms) {
      entries.push({ ...old, mime_type: mimeTypeOf(file.path) });
      unchanged += 1;
    } else {
      let hashed;
      try {
        hashed = await options.hasher.hash(file.absPath);
      } catch (err) {
        skipped.push({ path: file.path, reason: `could not be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
        return report(file);
      }
      hashedBytes += hashed.bytes;
      const entry: CatalogEntry = { path: file.path, hash: hashed.hash, size: hashed.bytes, mtime_ms: file.mtime_ms, mime_type: mimeTypeOf(file.path) };
      const description = descriptions.get(entry.hash);
      if (description !== undefined) entry.description = description;
      entries.push(entry);
      (old ? changed : added).push(file.path);
    }
    report(file);
  };
  await inParallel(files, options.hasher.concurrency, one);

  const seen = new Set(entries.map((e) => e.path));
  const removed = [...before.keys()].filter((p) => !seen.has(p));
  entries.sort(byPath);
  return { entries, added: added.sort(), changed: changed.sort(), removed: removed.sort(), unchanged, skipped, hashedBytes };
}

/** Runs `fn` over `items` with at most `limit` in flight (keeps the pool's queue short for huge trees). */
async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
