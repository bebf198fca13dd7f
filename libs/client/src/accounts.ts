import { AccountClaimsReply, AccountsOps, subjects, type AccountsOp } from '@natster/protocol';
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

  /** Adds the imports of `catalog` shared by `owner` to this account. */
  importCatalog(catalog: string, owner: string): Promise<AccountClaimsReply> {
    return this.request(AccountsOps.importCatalog, { catalog, owner });
  }

  /** Removes the imports of `catalog` shared by `owner`. */
  unimportCatalog(catalog: string, owner: string): Promise<AccountClaimsReply> {
    return this.request(AccountsOps.unimportCatalog, { catalog, owner });
  }

  /** The account's current JWT and imported catalogs. */
  get(): Promise<AccountClaimsReply> {
    return this.request(AccountsOps.get, {});
  }
}
