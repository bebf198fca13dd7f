import type { Command } from 'commander';
import { GlobalClient } from '@natster/client';
import { EventTypes, newEvent } from '@natster/protocol';
import { printResult } from '../../output';
import { withSession } from '../../session';
import { checkAccountKey, loadOwnCatalog } from './common';

export function registerShare(catalog: Command): void {
  for (const shared of [true, false]) {
    catalog
      .command(shared ? 'share' : 'unshare')
      .description(shared ? 'share one of your catalogs with another account' : 'stop sharing a catalog with an account (its requests are refused at once)')
      .argument('<name>', 'your catalog')
      .argument('<account>', "the other account's public key (A…, from their `natster whoami`)")
      .action(async (name: string, account: string, _flags: unknown, cmd: Command) => {
        await withSession(cmd, async ({ nc, context, options }) => {
          const store = await loadOwnCatalog(context, name);
          const target = checkAccountKey(account, context);
          const type = shared ? EventTypes.catalogShared : EventTypes.catalogUnshared;
          // Sharing twice, or unsharing twice, is harmless; a try that timed out is sent
          // again as the same event, so it is applied once and never reported as failed
          // when it went through late.
          await new GlobalClient(nc).putEventRetrying(newEvent(type, context.account, { target, catalog: store.name }), (attempt, of) =>
            process.stderr.write(`the global service did not answer in time; sending the same request again (${attempt + 1}/${of})\n`),
          );
          printResult(options.json, { catalog: store.name, account: target, shared }, (r) =>
            shared
              ? `Shared ${r.catalog} with ${r.account}.\nThey import it with \`natster catalog import ${r.catalog} ${context.account}\`; keep \`natster catalog serve ${r.catalog}\` running.`
              : `Stopped sharing ${r.catalog} with ${r.account}.`,
          );
        });
      });
  }
}
