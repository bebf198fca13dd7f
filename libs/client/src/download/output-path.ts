import { constants } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Codes, NatsterError } from '@natster/protocol';

/** The output path names an existing file and overwriting was not allowed. */
export class OutputExistsError extends NatsterError {
  override name = 'OutputExistsError';
  constructor(readonly path: string) {
    super(Codes.conflict, `${path} already exists; refusing to overwrite it`);
  }
}

/**
 * Checks, before anything crosses the wire, that the download can land at
 * `out`: not a folder, not an existing file unless `overwrite`, in a folder
 * that exists and is writable (the `.partial` file and the final rename
 * both happen there). A `.partial` of an earlier run is not a conflict: it
 * is resumed.
 */
export async function checkOutputPath(out: string, overwrite: boolean): Promise<void> {
  const existing = await lstat(out).catch(() => null);
  if (existing?.isDirectory()) {
    throw new NatsterError(Codes.badRequest, `${out} is a folder; give the path of the file to write, e.g. ${out}/<name>`);
  }
  if (existing && !overwrite) throw new OutputExistsError(out);
  const folder = dirname(out);
  const parent = await stat(folder).catch(() => null);
  if (!parent?.isDirectory()) throw new NatsterError(Codes.badRequest, `the folder ${folder} does not exist; create it or choose another output path`);
  await access(folder, constants.W_OK | constants.X_OK).catch((cause: unknown) => {
    throw new NatsterError(Codes.forbidden, `cannot write in the folder ${folder}; choose another output path`, { cause });
  });
}
