import { decodeJwt } from '@natster/claims';
import { lookupAccountJwt } from '@natster/hub';
import { Codes, NatsterError } from '@natster/protocol';
import type { NatsConnection } from '@natster/nats';
import type { AccountStore, StoredAccount } from './store';

export interface AccountDirectory {
  /**
   * The stored record of a user account. An account the server knows,
   * signed by this operator but not yet recorded (e.g. made before the
   * bucket existed), is adopted. Null when the hub has no such account.
   */
  find(account: string): Promise<StoredAccount | null>;
}

export function accountDirectory(store: AccountStore, sys: NatsConnection, signingKey: string, hubAccounts: string[]): AccountDirectory {
  return {
    async find(account) {
      if (hubAccounts.includes(account)) {
        throw new NatsterError(Codes.forbidden, 'the hub’s own accounts are managed by `natster hub`, not through the authority');
      }
      const found = await store.get(account);
      if (found) return found;
      // the server does not answer for accounts it does not know: keep the wait short
      const jwt = await lookupAccountJwt(sys, account, 1000).catch(() => null);
      if (!jwt || decodeJwt(jwt).iss !== signingKey) return null;
      const now = new Date().toISOString();
      await store.create({ account, jwt, created_at: now, updated_at: now });
      return store.get(account);
    },
  };
}
