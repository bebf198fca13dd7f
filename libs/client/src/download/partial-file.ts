import { readFile, rm, writeFile } from 'node:fs/promises';

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

export async function writePartialState(out: string, state: PartialState): Promise<void> {
  await writeFile(partialPaths(out).sidecar, JSON.stringify(state));
}

export async function removePartial(out: string): Promise<void> {
  const paths = partialPaths(out);
  await Promise.all([rm(paths.data, { force: true }), rm(paths.sidecar, { force: true })]);
}
