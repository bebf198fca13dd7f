import type { Command } from 'commander';
import { AccountsClient, CatalogClient, GlobalClient } from '@natster/client';
import { CatalogStore, listCatalogNames } from '@natster/catalog';
import type { ShareView } from '@natster/protocol';
import { printResult, renderTable } from '../../output';
import { withSession } from '../../session';
import { catalogsDirOf } from './common';

/** One row of `natster catalog ls`; JSON keys are stable for scripts. */
export interface CatalogRow {
  catalog: string;
  /** What to call it in other commands: the name of mine, the local alias of an import, null when not imported. */
  alias: string | null;
  /** mine: I own it; shared: someone shared it with me (or I imported it). */
  role: 'mine' | 'shared';
  owner: string;
  /** For mine: the accounts it is shared with. */
  shared_with: string[];
  imported: boolean;
  online: boolean;
  revision: number | null;
  /** Known when the catalog is online (or, for mine, from the local file). */
  files: number | null;
  description: string | null;
}

/** How long `ls` waits for each catalog server before calling it offline. */
const PROBE_MS = 1500;

export function registerLs(catalog: Command): void {
  catalog
    .command('ls')
    .description('every catalog you know: yours (and with whom they are shared) and those shared with you')
    .action(async (_flags: unknown, cmd: Command) => {
      await withSession(cmd, async ({ nc, context, options }) => {
        const me = context.account;
        const [shares, claims] = await Promise.all([new GlobalClient(nc).myShares(), new AccountsClient(nc).get()]);
        const probe = new CatalogClient(nc, PROBE_MS);
        const head = async (name: string) => probe.page(name, { limit: 1 }).catch(() => null);

        const mine = await Promise.all(
          (await listCatalogNames(catalogsDirOf(context))).map(async (name): Promise<CatalogRow> => {
            const store = await CatalogStore.load(catalogsDirOf(context), name);
            const page = await head(name);
            const sharedWith = shares.filter((s) => s.owner === me && s.catalog === name && s.shared).map((s) => s.target);
            return { catalog: name, alias: name, role: 'mine', owner: me, shared_with: sharedWith, imported: false, online: page !== null, revision: page?.revision ?? store.revision, files: page?.total ?? store.entries.length, description: store.description };
          }),
        );

        // the account JWT is the truth about imports (and their aliases); the share projection adds what is not imported yet
        const incoming = new Map<string, { catalog: string; owner: string; view?: ShareView; alias: string | null }>();
        for (const s of shares) if (s.target === me && s.shared) incoming.set(`${s.owner}/${s.catalog}`, { catalog: s.catalog, owner: s.owner, view: s, alias: null });
        for (const i of claims.imports) {
          const key = `${i.owner}/${i.catalog}`;
          incoming.set(key, { ...(incoming.get(key) ?? { catalog: i.catalog, owner: i.owner }), alias: i.alias });
        }
        const theirs = await Promise.all(
          [...incoming.values()].map(async (c): Promise<CatalogRow> => {
            const page = c.alias ? await head(c.alias) : null;
            return {
              catalog: c.catalog,
              alias: c.alias,
              role: 'shared',
              owner: c.owner,
              shared_with: [],
              imported: c.alias !== null,
              online: page !== null || (c.view?.online ?? false),
              revision: page?.revision ?? c.view?.revision ?? null,
              files: page?.total ?? null,
              description: page?.description ?? null,
            };
          }),
        );

        const rows = [...mine, ...theirs].sort((a, b) => a.role.localeCompare(b.role) || a.catalog.localeCompare(b.catalog) || a.owner.localeCompare(b.owner));
        printResult(options.json, rows, (all) =>
          renderTable({
            title: 'Catalogs',
            head: ['Catalog', 'Use as', 'Online', 'Whose', 'Shared with / from', 'Rev', 'Files', 'Description'],
            rows: all.map((r) => [
              r.catalog,
              r.alias ?? '-',
              r.online ? '●' : '○',
              r.role === 'mine' ? 'mine' : r.imported ? 'imported' : 'not imported',
              r.role === 'mine' ? (r.shared_with.length ? r.shared_with.join(', ') : '-') : r.owner,
              r.revision,
              r.files,
              r.description,
            ]),
          }),
        );
      });
    });
}
