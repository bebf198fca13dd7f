import {
  AccountClaimsReply,
  AccountRepairReply,
  AccountsOps,
  Codes,
  NatsterError,
  subjects,
  type AccountsOp,
  type ImportedCatalog,
} from '@natster/protocol';
import { call, type NatsConnection } from '@natster/nats';
import { orUnavailable } from './unavailable';

const OFFLINE = 'the account authority is not answering: is the hub running (`natster hub status`)?';

/** The caller's side of `natster.accounts.*`: edits only the caller's own account. */
export class AccountsClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly timeout = 10_000,
  ) {}

  private request(op: AccountsOp, body: unknown): Promise<AccountClaimsReply> {
    return orUnavailable(call(this.nc, subjects.accounts(op), body, AccountClaimsReply, { timeout: this.timeout, offline: OFFLINE }), OFFLINE);
  }

  /** Adds the imports of `catalog` shared by `owner` to this account (under a free local alias). */
  importCatalog(catalog: string, owner: string): Promise<AccountClaimsReply> {
    return this.request(AccountsOps.importCatalog, { catalog, owner });
  }

  /** Removes the imports of `catalog` shared by `owner`. */
  unimportCatalog(catalog: string, owner: string): Promise<AccountClaimsReply> {
    return this.request(AccountsOps.unimportCatalog, { catalog, owner });
  }

  /** The account's current JWT, imported catalogs (with their aliases) and what is damaged. */
  get(): Promise<AccountClaimsReply> {
    return this.request(AccountsOps.get, {});
  }

  /** Has the authority re-sign the standard imports the account lost. */
  repair(): Promise<AccountRepairReply> {
    const options = { timeout: this.timeout, offline: OFFLINE };
    return orUnavailable(call(this.nc, subjects.accounts(AccountsOps.repair), {}, AccountRepairReply, options), OFFLINE);
  }
}

/**
 * The imported catalog a person means by `name`: the one with that alias,
 * else the only one with that catalog name (two owners' → 409 naming the aliases).
 */
export function findImport(imports: readonly ImportedCatalog[], name: string): ImportedCatalog | null {
  const byAlias = imports.find((i) => i.alias === name);
  if (byAlias) return byAlias;
  const byName = imports.filter((i) => i.catalog === name);
  if (byName.length > 1) {
    throw new NatsterError(Codes.conflict, `you import ${byName.length} catalogs named ${name}: use one of their local names, ${byName.map((i) => i.alias).join(', ')}`);
  }
  return byName[0] ?? null;
}
