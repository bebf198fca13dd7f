import type { Command } from 'commander';
import { CatalogClient } from '@natster/client';
import { CatalogStore } from '@natster/catalog';
import { Codes, NatsterError, type CatalogEntry } from '@natster/protocol';
import { formatBytes } from '../../progress';
import { printResult, renderTable } from '../../output';
import { withSession } from '../../session';
import { catalogsDirOf, checkCatalogRef, localContext } from './common';

/** My own catalog from its file; null if I have none by that name. */
async function ownEntries(dir: string, name: string): Promise<{ description: string; revision: number; entries: readonly CatalogEntry[] } | null> {
  try {
    const store = await CatalogStore.load(dir, name);
    return { description: store.description, revision: store.revision, entries: store.entries };
  } catch (err) {
    if (err instanceof NatsterError && err.code === Codes.notFound) return null;
    throw err;
  }
}

export function registerContents(catalog: Command): void {
  catalog
    .command('contents')
    .description('list the files of a catalog: yours from its file, imported ones from their server, page by page')
    .argument('<name>', 'catalog name')
    .option('--prefix <path>', 'only paths starting with this')
    .option('--search <text>', 'only paths containing this (any case)')
    .action(async (name: string, flags: { prefix?: string; search?: string }, cmd: Command) => {
      const { context, options } = await localContext(cmd);
      checkCatalogRef(name);
      const filter = { ...(flags.prefix ? { prefix: flags.prefix } : {}), ...(flags.search ? { search: flags.search.toLowerCase() } : {}) };
      // My own catalogs are read from their file (no hub needed); imported ones from their server.
      const own = await ownEntries(catalogsDirOf(context), name);
      const listing = own
        ? {
            ...own,
            entries: own.entries.filter((e) => (!filter.prefix || e.path.startsWith(filter.prefix)) && (!filter.search || e.path.toLowerCase().includes(filter.search))),
          }
        : await withSession(cmd, ({ nc }) => new CatalogClient(nc).list(name, filter));
      printResult(options.json, { catalog: name, description: listing.description, revision: listing.revision, entries: listing.entries }, (l) =>
        renderTable({
          title: `${l.catalog} (revision ${l.revision}, ${l.entries.length} files)${l.description ? ` ${l.description}` : ''}`,
          head: ['Path', 'Size', 'Type', 'Hash', 'Description'],
          rows: l.entries.map((e) => [e.path, formatBytes(e.size), e.mime_type, e.hash.slice(0, 12), e.description]),
        }),
      );
    });
}
