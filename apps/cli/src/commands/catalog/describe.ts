import type { Command } from 'commander';
import { Codes, NatsterError } from '@natster/protocol';
import { printResult } from '../../output';
import { loadOwnCatalog, localContext } from './common';

/** Accepts a full SHA-256 or a unique prefix of one (as `contents` prints it). */
function matchHash(hashes: Iterable<string>, given: string): string {
  const prefix = given.toLowerCase();
  if (!/^[0-9a-f]{6,64}$/.test(prefix)) throw new NatsterError(Codes.badRequest, `${JSON.stringify(given)} is not a SHA-256 (or at least its first 6 hex digits)`);
  const found = [...new Set([...hashes].filter((h) => h.startsWith(prefix)))];
  if (found.length === 1) return found[0] as string;
  if (found.length === 0) throw new NatsterError(Codes.notFound, `no file with hash ${given}: see \`natster catalog contents\``);
  throw new NatsterError(Codes.conflict, `${given} matches ${found.length} files: give more of the hash`);
}

export function registerDescribe(catalog: Command): void {
  catalog
    .command('describe')
    .description('set the description of a file (by its hash) in one of your catalogs')
    .argument('<name>', 'catalog name')
    .argument('<hash>', "the file's SHA-256 (or a unique prefix, as `contents` shows)")
    .argument('<text>', 'the description')
    .action(async (name: string, hash: string, text: string, _flags: unknown, cmd: Command) => {
      const { context, options } = await localContext(cmd);
      const store = await loadOwnCatalog(context, name);
      if (text.length > 512) throw new NatsterError(Codes.badRequest, `a description is at most 512 characters (this one has ${text.length})`);
      const full = matchHash(store.entries.map((e) => e.hash), hash);
      const count = store.describe(full, text);
      await store.save();
      printResult(options.json, { catalog: store.name, hash: full, description: text, files: count, revision: store.revision }, (r) =>
        `Described ${r.files} file${r.files === 1 ? '' : 's'} with hash ${r.hash.slice(0, 12)} in ${r.catalog} (revision ${r.revision}).`,
      );
    });
}
