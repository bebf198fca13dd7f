import type { Command } from 'commander';
import type { NatsConnection } from '@natster/nats';
import { AccountsClient, GlobalClient, findImport } from '@natster/client';
import type { NatsterContext } from '@natster/context';
import { Codes, EventTypes, NatsterError, newEvent, type ImportedCatalog } from '@natster/protocol';
import { printResult } from '../../output';
import { withSession } from '../../session';
import { checkAccountKey, checkCatalogName, checkCatalogRef } from './common';

/**
 * Adds (or removes) the catalog's imports on my account, then records it in
 * the event log. Returns the import as my account now addresses it (its local alias).
 */
export async function setImported(nc: NatsConnection, context: NatsterContext, catalog: string, owner: string, imported: boolean): Promise<ImportedCatalog> {
  const accounts = new AccountsClient(nc);
  const before = imported ? null : (await accounts.get()).imports.find((i) => i.catalog === catalog && i.owner === owner);
  const reply = imported ? await accounts.importCatalog(catalog, owner) : await accounts.unimportCatalog(catalog, owner);
  const type = imported ? EventTypes.catalogImported : EventTypes.catalogUnimported;
  await new GlobalClient(nc).putEvent(newEvent(type, context.account, { target: owner, catalog }));
  const now = imported ? reply.imports.find((i) => i.catalog === catalog && i.owner === owner) : before;
  return now ?? { catalog, owner, alias: catalog };
}

export const importedMessage = (i: ImportedCatalog): string =>
  `Imported ${i.catalog} from ${i.owner}${i.alias === i.catalog ? '' : ` as ${i.alias} (you already import a ${i.catalog} from someone else)`}. List it with \`natster catalog contents ${i.alias}\`.`;

/** `unimport NAME [OWNER]`: without an owner, NAME is the local name `natster catalog ls` shows. */
async function unimportTarget(nc: NatsConnection, context: NatsterContext, name: string, owner: string | undefined): Promise<{ catalog: string; owner: string }> {
  if (owner !== undefined) return { catalog: checkCatalogName(name), owner: checkAccountKey(owner, context, 'owner') };
  const found = findImport((await new AccountsClient(nc).get()).imports, checkCatalogRef(name));
  if (!found) throw new NatsterError(Codes.notFound, `you do not import a catalog called ${name}: \`natster catalog ls\` shows what you import`);
  return found;
}

export function registerImport(catalog: Command): void {
  catalog
    .command('import')
    .description('import a catalog someone shared with you, so you can list and download it')
    .argument('<name>', 'catalog name')
    .argument('<owner>', "the owner's account key (A…)")
    .action(async (name: string, owner: string, _flags: unknown, cmd: Command) => {
      await withSession(cmd, async ({ nc, context, options }) => {
        const done = await setImported(nc, context, checkCatalogName(name), checkAccountKey(owner, context, 'owner'), true);
        printResult(options.json, { ...done, imported: true }, importedMessage);
      });
    });

  catalog
    .command('unimport')
    .description('remove an imported catalog from your account')
    .argument('<name>', 'its local name (`natster catalog ls`), or its catalog name with the owner')
    .argument('[owner]', "the owner's account key (A…)")
    .action(async (name: string, owner: string | undefined, _flags: unknown, cmd: Command) => {
      await withSession(cmd, async ({ nc, context, options }) => {
        const target = await unimportTarget(nc, context, name, owner);
        const done = await setImported(nc, context, target.catalog, target.owner, false);
        printResult(options.json, { ...done, imported: false }, (r) => `Removed ${r.alias} (catalog ${r.catalog} from ${r.owner}) from your account.`);
      });
    });
}
