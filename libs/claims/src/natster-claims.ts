import type { Export, Import } from '@nats-io/jwt';
import {
  ALIAS_KEY_PREFIX,
  catalogAlias,
  isCatalogAlias,
  isCatalogName,
  parseCatalogAlias,
  patterns,
  type ImportProblem,
  type ImportedCatalog,
} from '@natster/protocol';

/**
 * Exports and imports of ARCHITECTURE.md section 3. Every export uses
 * account token position 1, so NATS itself guarantees that token 1 of a
 * request is the caller's real account key.
 */

/** The two exports every catalog-owning account has, however many shares. */
export function catalogOwnerExports(): Export[] {
  return [
    { name: 'natster_catalog', subject: patterns.catalogService, type: 'service', account_token_position: 1 },
    { name: 'natster_media', subject: patterns.media, type: 'stream', account_token_position: 1 },
  ];
}

export function globalExports(): Export[] {
  return [
    { name: 'natster_global', subject: patterns.globalService, type: 'service', account_token_position: 1 },
    { name: 'global_events', subject: patterns.globalEvents, type: 'stream', account_token_position: 1 },
  ];
}

export function authorityExports(): Export[] {
  return [
    { name: 'natster_accounts', subject: patterns.accountsService, type: 'service', account_token_position: 1 },
    { name: 'natster_signup', subject: patterns.signup, type: 'service' },
  ];
}

/** `<ME>.natster.global.>` → `natster.global.>` and the event feed likewise. */
export function globalImports(me: string, globalAccount: string): Import[] {
  return [
    { name: 'natster_global', subject: `${me}.natster.global.>`, local_subject: 'natster.global.>', type: 'service', account: globalAccount },
    { name: 'global_events', subject: `${me}.natster.global-events.>`, local_subject: 'natster.global-events.>', type: 'stream', account: globalAccount },
  ];
}

export function accountsImport(me: string, authorityAccount: string): Import {
  return { name: 'natster_accounts', subject: `${me}.natster.accounts.>`, local_subject: 'natster.accounts.>', type: 'service', account: authorityAccount };
}

export function signupImport(authorityAccount: string): Import {
  return { name: 'natster_signup', subject: patterns.signup, type: 'service', account: authorityAccount };
}

/**
 * What identifies an import: who exports it, which of their subjects, where it
 * lands in the importing account, and its kind. Never its name: names are
 * descriptive only, and a catalog's name is chosen by another person.
 */
export function sameImport(a: Import, b: Import): boolean {
  return a.account === b.account && a.subject === b.subject && (a.local_subject ?? '') === (b.local_subject ?? '') && a.type === b.type;
}

/**
 * The pair of imports that makes catalog C of owner O usable by account ME
 * under the local alias (default: the catalog's name).
 */
export function catalogImports(me: string, catalog: string, owner: string, alias: string = catalog): Import[] {
  const from = `${catalog} of ${owner.slice(0, ALIAS_KEY_PREFIX)}`;
  return [
    { name: `natster catalog ${from}`, subject: `${me}.natster.catalog.${catalog}.>`, local_subject: `natster.catalog.${alias}.>`, type: 'service', account: owner },
    { name: `natster media ${from}`, subject: `${me}.natster.media.${catalog}.>`, local_subject: `natster.media.${alias}.>`, type: 'stream', account: owner },
  ];
}

/** The catalogs an account imports, recognised by their service import's subjects (see catalogImports). */
export function importedCatalogs(imports: readonly Import[] | undefined, me: string): ImportedCatalog[] {
  const found: ImportedCatalog[] = [];
  for (const imp of imports ?? []) {
    if (imp.type !== 'service') continue;
    const [account, natster, kind, catalog, rest, ...more] = imp.subject.split('.');
    if (account !== me || natster !== 'natster' || kind !== 'catalog' || rest !== '>' || more.length > 0 || !isCatalogName(catalog)) continue;
    const local = (imp.local_subject ?? '').split('.');
    const alias = local[2];
    if (local.length !== 4 || local[0] !== 'natster' || local[1] !== 'catalog' || local[3] !== '>' || !isCatalogAlias(alias)) continue;
    if (parseCatalogAlias(alias).catalog !== catalog) continue;
    found.push({ catalog, owner: imp.account, alias });
  }
  return found;
}

/** The first alias no import of the account uses: the catalog's name, else `name~<owner key prefix>`. */
export function freeAlias(imports: readonly Import[], catalog: string, owner: string): string | null {
  const taken = new Set(imports.map((i) => i.local_subject));
  const free = (alias: string) => !taken.has(`natster.catalog.${alias}.>`) && !taken.has(`natster.media.${alias}.>`);
  if (free(catalog)) return catalog;
  for (let length = ALIAS_KEY_PREFIX; length <= owner.length; length++) {
    const alias = catalogAlias(catalog, owner, length);
    if (free(alias)) return alias;
  }
  return null;
}

/** The accounts whose services every user account imports. */
export interface StandardAccounts {
  global: string;
  authority: string;
}

/** The imports a catalog edit must never touch, by the label `natster doctor` reports. */
export function standardImports(me: string, known: StandardAccounts): { label: string; wanted: Import }[] {
  const [global, events] = globalImports(me, known.global) as [Import, Import];
  return [
    { label: 'global', wanted: global },
    { label: 'global-events', wanted: events },
    { label: 'accounts', wanted: accountsImport(me, known.authority) },
  ];
}

/**
 * What is wrong with an account's imports: a standard import missing, or
 * altered (something else claims its local subject); an imported catalog
 * whose media stream import is gone.
 */
export function importProblems(imports: readonly Import[], me: string, known: StandardAccounts): ImportProblem[] {
  const problems: ImportProblem[] = [];
  for (const { label, wanted } of standardImports(me, known)) {
    if (imports.some((i) => sameImport(i, wanted))) continue;
    const altered = imports.some((i) => i.local_subject === wanted.local_subject);
    problems.push({ import: label, problem: altered ? 'altered' : 'missing' });
  }
  for (const c of importedCatalogs(imports, me)) {
    const [, media] = catalogImports(me, c.catalog, c.owner, c.alias) as [Import, Import];
    if (!imports.some((i) => sameImport(i, media))) problems.push({ import: `media:${c.alias}`, problem: 'missing' });
  }
  return problems;
}

/** The imports with every problem of importProblems fixed; nothing else changes. */
export function repairedImports(imports: readonly Import[], me: string, known: StandardAccounts): Import[] {
  const standard = standardImports(me, known).map((s) => s.wanted);
  const kept = imports.filter((i) => !standard.some((s) => s.local_subject === i.local_subject && !sameImport(s, i)));
  const wanted = [...standard, ...importedCatalogs(kept, me).flatMap((c) => catalogImports(me, c.catalog, c.owner, c.alias))];
  return [...kept, ...wanted.filter((w) => !kept.some((i) => sameImport(i, w)))];
}

/** Everything a Natster user account gets at signup. */
export interface WellKnownAccounts extends StandardAccounts {
  hub: string;
}

export function userAccountClaims(me: string, known: WellKnownAccounts, demoCatalog: string | null) {
  const imports: Import[] = standardImports(me, known).map((s) => s.wanted);
  if (demoCatalog) imports.push(...catalogImports(me, demoCatalog, known.hub));
  return { exports: catalogOwnerExports(), imports };
}
