import { constants, type Dirent } from 'node:fs';
import { access, lstat, readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** A regular file found under the root, not yet hashed. */
export interface FoundFile {
  /** Relative to the root, `/`-separated. */
  path: string;
  /** Absolute path to read (for an in-root symlink, the link itself). */
  absPath: string;
  size: number;
  mtime_ms: number;
}

/** Something under the root that is not catalogued, and why. */
export interface SkippedPath {
  path: string;
  reason: string;
}

export interface WalkResult {
  files: FoundFile[];
  skipped: SkippedPath[];
}

/** Natster's default home folder name: it holds seeds and creds, so no catalog may ever include it. */
const NATSTER_STATE_DIR = '.natster';

/** True when `real` is `realRoot` itself or inside it. */
export function isInside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

function toCatalogPath(realRoot: string, abs: string): string {
  return relative(realRoot, abs).split(sep).join('/');
}

function specialKind(d: Dirent): string | null {
  if (d.isSocket()) return 'socket';
  if (d.isFIFO()) return 'FIFO (named pipe)';
  if (d.isBlockDevice()) return 'block device';
  if (d.isCharacterDevice()) return 'character device';
  return null;
}

async function readable(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Lists every regular file under `realRoot` (already a realpath). Directories
 * are entered without following symlinks; a symlink is catalogued only when
 * it resolves to a regular file inside the root. Everything else is skipped
 * and reported, never followed, as are `.natster` folders and `exclude`
 * (real paths of folders, e.g. where the catalogs themselves are kept).
 */
export async function walkRoot(realRoot: string, exclude: readonly string[] = []): Promise<WalkResult> {
  const excluded = new Set(exclude);
  const files: FoundFile[] = [];
  const skipped: SkippedPath[] = [];
  const pending: string[] = [realRoot];
  while (pending.length > 0) {
    const dir = pending.pop() as string;
    let dirents: Dirent[];
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      skipped.push({ path: toCatalogPath(realRoot, dir) || '.', reason: `unreadable folder (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    for (const d of dirents) {
      const abs = join(dir, d.name);
      const path = toCatalogPath(realRoot, abs);
      const kind = specialKind(d);
      if (kind) {
        skipped.push({ path, reason: kind });
      } else if (d.isDirectory()) {
        if (d.name === NATSTER_STATE_DIR || excluded.has(abs)) skipped.push({ path, reason: "Natster's own state (keys, creds, catalogs): never catalogued" });
        else pending.push(abs);
      } else if (d.isSymbolicLink()) {
        const found = await inRootSymlink(realRoot, abs, path, skipped);
        if (found) files.push(found);
      } else if (d.isFile()) {
        const found = await regularFile(abs, path, skipped);
        if (found) files.push(found);
      }
    }
  }
  return { files, skipped };
}

async function regularFile(abs: string, path: string, skipped: SkippedPath[]): Promise<FoundFile | null> {
  try {
    const st = await lstat(abs);
    if (!st.isFile()) {
      skipped.push({ path, reason: 'not a regular file (not followed)' });
      return null;
    }
    if (!(await readable(abs))) {
      skipped.push({ path, reason: 'unreadable (permission denied)' });
      return null;
    }
    return { path, absPath: abs, size: st.size, mtime_ms: st.mtimeMs };
  } catch (err) {
    skipped.push({ path, reason: `vanished while scanning (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
    return null;
  }
}

/** A symlink counts only if it resolves to a regular file inside the root; then its target is read. */
async function inRootSymlink(realRoot: string, abs: string, path: string, skipped: SkippedPath[]): Promise<FoundFile | null> {
  let target: string;
  try {
    target = await realpath(abs);
  } catch {
    skipped.push({ path, reason: 'broken symlink' });
    return null;
  }
  if (!isInside(realRoot, target)) {
    skipped.push({ path, reason: 'symlink leaves the catalog root (not followed)' });
    return null;
  }
  return regularFile(target, path, skipped);
}
