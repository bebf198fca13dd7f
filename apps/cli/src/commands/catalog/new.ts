import type { Command } from 'commander';
import { GlobalClient } from '@natster/client';
import { createCatalog, rescanCatalog } from '@natster/catalog';
import { printResult } from '../../output';
import { withSession } from '../../session';
import { catalogsDirOf, checkNewCatalogName, loadOwnCatalog, localContext, renderScan, scanJson, scanProgressBar } from './common';

export function registerNew(catalog: Command): void {
  catalog
    .command('new')
    .description('make a catalog from a folder: hashes every file (SHA-256) and records its MIME type')
    .argument('<name>', 'catalog name (1-32 of a-z, 0-9, _ and -)')
    .argument('<description>', 'what is in it, shown to the people you share it with')
    .argument('<path>', 'the folder to catalog (recursively)')
    .action(async (name: string, description: string, path: string, _flags: unknown, cmd: Command) => {
      await withSession(cmd, async ({ nc, context, options }) => {
        const valid = await new GlobalClient(nc).validateCatalogName(checkNewCatalogName(name));
        const bar = scanProgressBar(`cataloguing ${valid.name}`, options.json);
        const { store, result } = await createCatalog(catalogsDirOf(context), { name: valid.name, description, root: path }, { onProgress: bar.onProgress });
        bar.finish();
        printResult(options.json, scanJson(store, result), () =>
          renderScan('Catalog created', store, result) +
            `\nShare it with \`natster catalog share ${store.name} ACCOUNT\` and keep \`natster catalog serve ${store.name}\` running.`,
        );
      });
    });

  catalog
    .command('rescan')
    .description('bring a catalog up to date with its folder (only new or changed files are hashed)')
    .argument('<name>', 'catalog name')
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      const { context, options } = await localContext(cmd);
      const store = await loadOwnCatalog(context, name);
      const bar = scanProgressBar(`rescanning ${store.name}`, options.json);
      const result = await rescanCatalog(store, { onProgress: bar.onProgress });
      bar.finish();
      printResult(options.json, scanJson(store, result), () => renderScan('Catalog rescanned', store, result));
    });
}
