import type { Export, Import } from '@nats-io/jwt';
import { importNames, patterns } from '@natster/protocol';

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

/** The pair of imports that makes catalog C of owner O usable by account ME. */
export function catalogImports(me: string, catalog: string, owner: string): Import[] {
  return [
    { name: importNames.catalog(catalog), subject: `${me}.natster.catalog.${catalog}.>`, local_subject: `natster.catalog.${catalog}.>`, type: 'service', account: owner },
    { name: importNames.media(catalog), subject: `${me}.natster.media.${catalog}.>`, local_subject: `natster.media.${catalog}.>`, type: 'stream', account: owner },
  ];
}

/** Identifies which imported catalogs an account JWT holds (the pairs of names above). */
export function importedCatalogs(imports: readonly Import[] | undefined): { catalog: string; owner: string }[] {
  const found: { catalog: string; owner: string }[] = [];
  for (const imp of imports ?? []) {
    if (imp.type !== 'service' || !imp.name.startsWith('natster_')) continue;
    const catalog = imp.name.slice('natster_'.length);
    if (imp.name !== importNames.catalog(catalog)) continue;
    if (imp.local_subject !== `natster.catalog.${catalog}.>`) continue;
    found.push({ catalog, owner: imp.account });
  }
  return found;
}

/** Everything a Natster user account gets at signup. */
export interface WellKnownAccounts {
  global: string;
  authority: string;
  hub: string;
}

export function userAccountClaims(me: string, known: WellKnownAccounts, demoCatalog: string | null) {
  const imports: Import[] = [...globalImports(me, known.global), accountsImport(me, known.authority)];
  if (demoCatalog) imports.push(...catalogImports(me, demoCatalog, known.hub));
  return { exports: catalogOwnerExports(), imports };
}
