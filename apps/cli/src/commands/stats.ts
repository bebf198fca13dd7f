import type { Command } from 'commander';
import { GlobalClient } from '@natster/client';
import type { StatsReply } from '@natster/protocol';
import { printResult, renderTable } from '../output';
import { withSession } from '../session';

/** Stats are a quick read: do not keep a person waiting long when the global service is down. */
const STATS_TIMEOUT_MS = 5000;

const LABELS: Record<keyof StatsReply, string> = {
  accounts_initialized: 'Accounts initialized',
  catalogs_online: 'Catalogs online',
  shares_active: 'Shares active',
  imports: 'Imports',
  events_total: 'Events total',
};

export function renderStats(stats: StatsReply): string {
  const keys = Object.keys(LABELS) as (keyof StatsReply)[];
  return renderTable({ title: 'Natster Community Stats', rows: keys.map((key) => [LABELS[key], stats[key]]) });
}

export function register(program: Command): void {
  program
    .command('stats')
    .description('show community stats from the global service')
    .action(async (_options: unknown, cmd: Command) => {
      await withSession(cmd, async ({ nc, options }) => {
        printResult(options.json, await new GlobalClient(nc, STATS_TIMEOUT_MS).stats(), renderStats);
      });
    });
}
