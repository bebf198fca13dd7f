import { AccountsClient, GlobalClient } from '@natster/client';
import { EventTypes, newEvent } from '@natster/protocol';
import type { SignedIn } from './current-session';

/** The authority adds the imports to the account, then the log records it (the owner sees it live). */
export async function importShare({ session, nc }: SignedIn, catalog: string, owner: string): Promise<void> {
  await new AccountsClient(nc).importCatalog(catalog, owner);
  await new GlobalClient(nc).putEvent(newEvent(EventTypes.catalogImported, session.account, { target: owner, catalog }));
}
