import { open, readFile, rename, rm, stat } from 'node:fs/promises';

/**
 * The sidecar of `OUT.partial` (`OUT.partial.json`): which file the partial
 * download belongs to and how many of its first bytes are on disk, synced.
 * Chunks are authenticated when opened, so that prefix is verified data.
 */
export interface PartialState {
  sha256: string;
  file_size: number;
  bytes: number;
}

export const partialPaths = (out: string) => ({ data: `${out}.partial`, sidecar: `${out}.partial.json` });

export async function readPartialState(out: string): Promise<PartialState | null> {
  try {
    const value = JSON.parse(await readFile(partialPaths(out).sidecar, 'utf8')) as Partial<PartialState>;
    const valid =
      typeof value.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(value.sha256) &&
      Number.isSafeInteger(value.file_size) &&
      Number.isSafeInteger(value.bytes) &&
      value.bytes! >= 0 &&
      value.bytes! <= value.file_size!;
    return valid ? (value as PartialState) : null;
  } catch {
    return null;
  }
}

/**
 * Replaces the sidecar atomically and durably: a temp file, synced, renamed
 * over the old one. A crash leaves either the old record or the new one,
 * never a torn one. The caller syncs the data first, so the record never
 * claims bytes that are not on disk.
 */
export async function writePartialState(out: string, state: PartialState): Promise<void> {
  const { sidecar } = partialPaths(out);
  const temp = `${sidecar}.tmp`;
  const file = await open(temp, 'w', 0o600);
  try {
    await file.writeFile(JSON.stringify(state));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, sidecar);
}

/** The recorded partial download of `out`, if its data file holds the bytes the sidecar claims. */
export async function usablePartial(out: string): Promise<PartialState | null> {
  const state = await readPartialState(out);
  if (!state) return null;
  const size = await stat(partialPaths(out).data).then((s) => s.size, () => -1);
  return size >= state.bytes ? state : null;
}

/** A partial download that a later run would resume: where it is and how much of it is verified. */
export interface KeptPartial {
  path: string;
  bytes: number;
  file_size: number;
}

/** The partial download kept for `out`, if there is one worth mentioning (some verified bytes). */
export async function keptPartial(out: string): Promise<KeptPartial | null> {
  const state = await usablePartial(out);
  return state && state.bytes > 0 ? { path: partialPaths(out).data, bytes: state.bytes, file_size: state.file_size } : null;
}

export async function removePartial(out: string): Promise<void> {
  const paths = partialPaths(out);
  await Promise.all([rm(paths.data, { force: true }), rm(paths.sidecar, { force: true }), rm(`${paths.sidecar}.tmp`, { force: true })]);
}
