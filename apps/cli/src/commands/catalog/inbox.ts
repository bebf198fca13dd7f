import type { Command } from 'commander';
import { GlobalClient, pendingShares } from '@natster/client';
import { Codes, NatsterError } from '@natster/protocol';
import { printResult, renderTable } from '../../output';
import { withSession } from '../../session';
import { setImported } from './import';

export function registerInbox(catalog: Command): void {
  catalog
    .command('inbox')
    .description('catalogs shared with you that you have not imported yet')
    .option('--import <name>', 'import this one of them')
    .action(async (flags: { import?: string }, cmd: Command) => {
      await withSession(cmd, async ({ nc, context, options }) => {
        const pending = pendingShares(await new GlobalClient(nc).myShares(), context.account);
        if (flags.import) {
          const matches = pending.filter((s) => s.catalog === flags.import);
          if (matches.length === 0) throw new NatsterError(Codes.notFound, `no pending share named ${flags.import}: run \`natster catalog inbox\` to see them`);
          if (matches.length > 1) throw new NatsterError(Codes.conflict, `${matches.length} accounts shared a catalog named ${flags.import}: use \`natster catalog import ${flags.import} OWNER\``);
          const share = matches[0] as (typeof matches)[number];
          await setImported(nc, context, share.catalog, share.owner, true);
          printResult(options.json, { ...share, imported: true }, (s) => `Imported ${s.catalog} from ${s.owner}. List it with \`natster catalog contents ${s.catalog}\`.`);
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
