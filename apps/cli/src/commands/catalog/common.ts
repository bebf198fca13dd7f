import type { Command } from 'commander';
import { catalogsDir, loadContext, type NatsterContext } from '@natster/context';
import { CatalogStore, type ScanProgress, type ScanResult } from '@natster/catalog';
import { Codes, NatsterError, RESERVED_CATALOG_NAMES, isAccountKey, isCatalogAlias, isCatalogName, isReservedCatalogName } from '@natster/protocol';
import { createProgress, formatBytes } from '../../progress';
import { renderTable } from '../../output';
import { globalsOf, type GlobalOptions } from '../../globals';

/** For commands that only touch local files: the context, no hub connection. */
export async function localContext(cmd: Command): Promise<{ context: NatsterContext; options: GlobalOptions }> {
  const options = globalsOf(cmd);
  return { context: await loadContext(options.context), options };
}

/** Where this context keeps its catalogs. */
export const catalogsDirOf = (context: NatsterContext): string => catalogsDir(context.name);

export function loadOwnCatalog(context: NatsterContext, name: string): Promise<CatalogStore> {
  return CatalogStore.load(catalogsDirOf(context), checkCatalogName(name));
}

export function checkCatalogName(name: string): string {
  if (!isCatalogName(name)) throw new NatsterError(Codes.badRequest, `invalid catalog name ${JSON.stringify(name)}: use 1-32 of a-z, 0-9, _ and -`);
  return name;
}

/** A name for a new catalog of mine: well-formed and not one Natster reserves. */
export function checkNewCatalogName(name: string): string {
  if (isReservedCatalogName(checkCatalogName(name))) {
    throw new NatsterError(Codes.badRequest, `catalog name ${JSON.stringify(name)} is reserved by Natster (${RESERVED_CATALOG_NAMES.join(', ')}): pick another name`);
  }
  return name;
}

/** A catalog as commands that read one take it: my own by name, an imported one by its local name (`natster catalog ls`). */
export function checkCatalogRef(name: string): string {
  if (!isCatalogAlias(name)) {
    throw new NatsterError(Codes.badRequest, `invalid catalog name ${JSON.stringify(name)}: a catalog name (1-32 of a-z, 0-9, _ and -) or the local name \`natster catalog ls\` shows (name~OWNERPREFIX)`);
  }
  return name;
}

/** An account key as another person gives it (`natster whoami` prints theirs). */
export function checkAccountKey(value: string, context: NatsterContext, what = 'account'): string {
  const key = value.trim();
  if (!isAccountKey(key)) {
    throw new NatsterError(Codes.badRequest, `${JSON.stringify(value)} is not an account key: it is 56 characters starting with A (ask its owner to run \`natster whoami\`)`);
  }
  if (key === context.account) throw new NatsterError(Codes.badRequest, `that ${what} is your own account`);
  return key;
}

/** A progress bar fed by the scanner's cumulative counters. */
export function scanProgressBar(label: string, json: boolean): { onProgress(p: ScanProgress): void; finish(): void } {
  const bar = createProgress({ label, json });
  let bytes = 0;
  let files = 0;
  return {
    onProgress(p) {
      bar.setTotals({ bytes: p.totalBytes, files: p.totalFiles });
      for (; files < p.files; files++) bar.fileDone();
      bar.add(p.bytes - bytes);
      bytes = p.bytes;
    },
    finish: () => bar.finish(),
  };
}

/** What a scan did, for people: counts, then the skipped entries and why. */
export function renderScan(title: string, store: CatalogStore, result: ScanResult): string {
  const size = store.entries.reduce((sum, e) => sum + e.size, 0);
  const summary = renderTable({
    title,
    rows: [
      ['Catalog', store.name],
      ['Folder', store.root],
      ['Revision', store.revision],
      ['Files', `${store.entries.length} (${formatBytes(size)})`],
      ['Added', result.added.length],
      ['Changed', result.changed.length],
      ['Removed', result.removed.length],
      ['Unchanged (not re-hashed)', result.unchanged],
      ['Hashed', formatBytes(result.hashedBytes)],
      ['Skipped', result.skipped.length],
    ],
  });
  if (result.skipped.length === 0) return summary;
  return summary + '\n' + renderTable({ title: 'Skipped (not catalogued)', head: ['Path', 'Why'], rows: result.skipped.map((s) => [s.path, s.reason]) });
}

/** The JSON form of a scan, stable for scripts. */
export function scanJson(store: CatalogStore, result: ScanResult) {
  return {
    catalog: store.name,
    root: store.root,
    revision: store.revision,
    files: store.entries.length,
    added: result.added,
    changed: result.changed,
    removed: result.removed,
    unchanged: result.unchanged,
    hashed_bytes: result.hashedBytes,
    skipped: result.skipped,
  };
}
