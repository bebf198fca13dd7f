import type { Command } from 'commander';
import { registerContents } from './catalog/contents';
import { registerDescribe } from './catalog/describe';
import { registerDownload } from './catalog/download';
import { registerImport } from './catalog/import';
import { registerInbox } from './catalog/inbox';
import { registerLs } from './catalog/ls';
import { registerNew } from './catalog/new';
import { registerServe } from './catalog/serve';
import { registerShare } from './catalog/share';

/** `natster catalog …`: make, share, import, list, serve and download catalogs. */
export function register(program: Command): void {
  const catalog = program.command('catalog').description('make, share, import, list, serve and download catalogs');
  registerNew(catalog);
  registerDescribe(catalog);
  registerShare(catalog);
  registerImport(catalog);
  registerInbox(catalog);
  registerLs(catalog);
  registerContents(catalog);
  registerServe(catalog);
  registerDownload(catalog);
}
