import type { KV } from '@natster/nats';
import { CATALOG_NAME_PATTERN, Codes, NatsterError, RESERVED_CATALOG_NAMES, isReservedCatalogName, type AccountView, type ShareView, type StatsReply } from '@natster/protocol';
import type { GlobalConfig } from './config';
import { lastHeartbeat } from './heartbeats';
import { openText } from './personal-data';
import { readAll, readRecord } from './projections/apply-once';
import { AccountRecord, ShareRecord, StatsTotals, catalogKey } from './projections/records';

/** The read side: answers built from the projections and the heartbeat buckets. */
export interface ReadModel {
  accounts: KV;
  shares: KV;
  stats: KV;
  heartbeats: KV;
  online: KV;
  config: Pick<GlobalConfig, 'dataKey' | 'heartbeatPeriodMs'>;
}

export async function accountView(model: ReadModel, account: string): Promise<AccountView | null> {
  const record = await readRecord(model.accounts, account, AccountRecord);
  if (!record) return null;
  return {
    account,
    initialized: record.initialized_at !== null,
    initialized_at: record.initialized_at,
    display_name: record.display_name_sealed === null ? null : openText(model.config.dataKey, record.display_name_sealed),
    portal_bound: record.portal_bound_at !== null,
    portal_bound_at: record.portal_bound_at,
  };
}

export async function whoami(model: ReadModel, account: string): Promise<AccountView> {
  return (
    (await accountView(model, account)) ?? {
      account,
      initialized: false,
      initialized_at: null,
      display_name: null,
      portal_bound: false,
      portal_bound_at: null,
    }
  );
}

async function countKeys(kv: KV): Promise<number> {
  let n = 0;
  for await (const _ of await kv.keys()) n++;
  return n;
}

export async function stats(model: ReadModel): Promise<StatsReply> {
  const totals = await readRecord(model.stats, 'totals', StatsTotals);
  return {
    accounts_initialized: totals?.accounts_initialized ?? 0,
    catalogs_online: await countKeys(model.online),
    shares_active: totals?.shares_active ?? 0,
    imports: totals?.imports ?? 0,
    events_total: totals?.events_total ?? 0,
  };
}

/** Every share the account takes part in, as owner (`<me>.*.*`) or as target (`*.*.<me>`). */
export async function myShares(model: ReadModel, account: string): Promise<ShareView[]> {
  const records = new Map([...(await readAll(model.shares, ShareRecord, `${account}.*.*`)), ...(await readAll(model.shares, ShareRecord, `*.*.${account}`))]);
  const views: ShareView[] = [];
  for (const r of records.values()) {
    if (!r.shared && !r.imported) continue;
    const beat = await lastHeartbeat(model, catalogKey(r.owner, r.catalog));
    views.push({
      owner: r.owner,
      target: r.target,
      catalog: r.catalog,
      shared: r.shared,
      shared_at: r.shared_at,
      imported: r.imported,
      imported_at: r.imported_at,
      online: beat !== null,
      revision: beat?.revision ?? null,
    });
  }
  return views.sort((a, b) => a.catalog.localeCompare(b.catalog) || a.owner.localeCompare(b.owner) || a.target.localeCompare(b.target));
}

/** 400 for a malformed name, 409 for a name the account already shares. */
export async function validateCatalogName(model: ReadModel, account: string, name: string): Promise<{ name: string; valid: true }> {
  if (!CATALOG_NAME_PATTERN.test(name)) {
    throw new NatsterError(Codes.badRequest, `catalog name ${JSON.stringify(name)} is not allowed: use 1–32 of a-z, 0-9, _ and -`);
  }
  if (isReservedCatalogName(name)) {
    throw new NatsterError(Codes.badRequest, `catalog name ${JSON.stringify(name)} is reserved by Natster (${RESERVED_CATALOG_NAMES.join(', ')}): pick another name`);
  }
  const shares = await readAll(model.shares, ShareRecord, `${account}.${name}.*`);
  if ([...shares.values()].some((s) => s.shared)) {
    throw new NatsterError(Codes.conflict, `you already share a catalog named ${name}: pick another name or unshare it first`);
  }
  return { name, valid: true };
}
