import type { Command } from 'commander';
import type { NatsConnection } from '@natster/nats';
import { AccountsClient, GlobalClient } from '@natster/client';
import type { NatsterContext } from '@natster/context';
import { EventTypes, newEvent } from '@natster/protocol';
import { printResult } from '../../output';
import { withSession } from '../../session';
import { checkAccountKey, checkCatalogName } from './common';

/** Adds (or removes) the catalog's imports on my account, then records it in the event log. */
export async function setImported(nc: NatsConnection, context: NatsterContext, catalog: string, owner: string, imported: boolean): Promise<void> {
  const accounts = new AccountsClient(nc);
  if (imported) await accounts.importCatalog(catalog, owner);
  else await accounts.unimportCatalog(catalog, owner);
  const type = imported ? EventTypes.catalogImported : EventTypes.catalogUnimported;
  await new GlobalClient(nc).putEvent(newEvent(type, context.account, { target: owner, catalog }));
}

export function registerImport(catalog: Command): void {
  for (const imported of [true, false]) {
    catalog
      .command(imported ? 'import' : 'unimport')
      .description(imported ? 'import a catalog someone shared with you, so you can list and download it' : 'remove an imported catalog from your account')
      .argument('<name>', 'catalog name')
      .argument('<owner>', "the owner's account key (A…)")
      .action(async (name: string, owner: string, _flags: unknown, cmd: Command) => {
        await withSession(cmd, async ({ nc, context, options }) => {
          const key = checkAccountKey(owner, context, 'owner');
          await setImported(nc, context, checkCatalogName(name), key, imported);
          printResult(options.json, { catalog: name, owner: key, imported }, (r) =>
            imported ? `Imported ${r.catalog} from ${r.owner}. List it with \`natster catalog contents ${r.catalog}\`.` : `Removed ${r.catalog} (from ${r.owner}) from your account.`,
          );
        });
      });
  }
}
