import type { Command } from 'commander';
import { GlobalClient, findPendingShare, pendingShares } from '@natster/client';
import { printResult, renderTable } from '../../output';
import { withSession } from '../../session';
import { importedMessage, setImported } from './import';

export function registerInbox(catalog: Command): void {
  catalog
    .command('inbox')
    .description('catalogs shared with you that you have not imported yet')
    .option('--import <name>', 'import this one of them (NAME, or NAME~OWNERPREFIX when several owners shared that name)')
    .action(async (flags: { import?: string }, cmd: Command) => {
      await withSession(cmd, async ({ nc, context, options }) => {
        const pending = pendingShares(await new GlobalClient(nc).myShares(), context.account);
        if (flags.import) {
          const share = findPendingShare(pending, flags.import);
          const done = await setImported(nc, context, share.catalog, share.owner, true);
          printResult(options.json, { ...share, alias: done.alias, imported: true }, () => importedMessage(done));
          return;
        }
        printResult(options.json, pending, (shares) =>
          shares.length === 0
            ? 'Nothing waiting: no one has shared a catalog with you that you have not imported.'
            : renderTable({ title: 'Shared with you, not imported yet', head: ['Catalog', 'From', 'Shared'], rows: shares.map((s) => [s.catalog, s.owner, s.shared_at ?? '']) }) +
              `\nImport one with \`natster catalog inbox --import NAME\`.`,
        );
      });
    });
}
