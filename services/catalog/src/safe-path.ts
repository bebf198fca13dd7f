import { lstat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { isInside } from './scan/walk';

/** A catalog path is relative, `/`-separated, with no empty, `.` or `..` segment. */
export function isSafeCatalogPath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Resolves a catalog path to the real file it names, or null when the path
 * is unsafe, missing, not a regular file, or resolves (through any symlink)
 * outside the real root. Nothing outside the root can ever come back.
 */
export async function resolveUnderRoot(realRoot: string, path: string): Promise<string | null> {
  if (!isSafeCatalogPath(path)) return null;
  try {
    const real = await realpath(join(realRoot, ...path.split('/')));
    if (!isInside(realRoot, real)) return null;
    return (await lstat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}
