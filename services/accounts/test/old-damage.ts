import { accountJwt, catalogOwnerExports, decodeJwt, type Account, type Import } from '@natster/claims';
import { HubAccounts, pushAccountJwt, readSecret, seedPath } from '@natster/hub';
import { decodeJson, encodeJson } from '@natster/nats';
import type { TestHub } from '@natster/testing';
import { ACCOUNTS_BUCKET } from '../src';

/**
 * The pair of imports the authority used to add for catalog C, named
 * `natster_C` / `natster_C_media` and mapped to the catalog's own name.
 */
export function oldCatalogPair(me: string, catalog: string, owner: string): Import[] {
  return [
    { name: `natster_${catalog}`, subject: `${me}.natster.catalog.${catalog}.>`, local_subject: `natster.catalog.${catalog}.>`, type: 'service', account: owner },
    { name: `natster_${catalog}_media`, subject: `${me}.natster.media.${catalog}.>`, local_subject: `natster.media.${catalog}.>`, type: 'stream', account: owner },
  ];
}

/**
 * What importing catalog C did before imports were keyed by subjects: every
 * import named like one of C's pair was replaced, so a catalog named `global`
 * or `accounts` deleted the account's import of that service.
 */
export function oldImport(imports: Import[], me: string, catalog: string, owner: string): Import[] {
  const pair = oldCatalogPair(me, catalog, owner);
  return [...imports.filter((i) => !pair.some((p) => p.name === i.name)), ...pair];
}

/**
 * Damages an account as the old authority did: re-signs its JWT with
 * `edit(imports)`, stores it in the authority's KV record (so the authority
 * believes it too) and pushes it through SYS.
 */
export async function damageAccount(th: TestHub, account: string, edit: (imports: Import[]) => Import[]): Promise<void> {
  const authority = await th.connectAs(HubAccounts.authority);
  const sys = await th.connectAs(HubAccounts.sys);
  try {
    const kv = await authority.jetstream().views.kv(ACCOUNTS_BUCKET);
    const entry = await kv.get(account);
    if (!entry) throw new Error(`the authority has no record of ${account}`);
    const record = decodeJson(entry.value) as { jwt: string };
    const claims = decodeJwt<Account>(record.jwt);
    const signingSeed = await readSecret(seedPath(th.hub.layout, 'operator-signing'));
    const jwt = await accountJwt({ name: claims.name, account, exports: catalogOwnerExports(), imports: edit(claims.nats.imports ?? []) }, signingSeed);
    await kv.put(account, encodeJson({ ...record, jwt }));
    await pushAccountJwt(sys, jwt);
  } finally {
    await Promise.allSettled([authority.close(), sys.close()]);
  }
}
