import { Type, type Static } from '@sinclair/typebox';
import { message } from '@natster/protocol';
import { decodeJson, encodeJson, type KV, type NatsConnection } from '@natster/nats';

export const ACCOUNTS_BUCKET = 'natster_authority_accounts';

/** What the authority remembers about each account it signed (private to the authority). */
const AccountRecordSchema = Type.Object({
  account: Type.String(),
  /** The account JWT last signed and pushed. */
  jwt: Type.String(),
  /** Display name in clear, written by older authorities only: dropped on read, so the next update erases it. */
  name: Type.Optional(Type.String()),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type AccountRecord = Static<typeof AccountRecordSchema>;
const AccountRecord = message(AccountRecordSchema, 'stored account record');

export interface StoredAccount {
  record: AccountRecord;
  revision: number;
}

/** Durable account records in a JetStream KV bucket of the AUTHORITY account (key = account key). */
export class AccountStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, replicas = 1): Promise<AccountStore> {
    const kv = await nc.jetstream().views.kv(ACCOUNTS_BUCKET, { history: 5, replicas });
    return new AccountStore(kv);
  }

  async get(account: string): Promise<StoredAccount | null> {
    const entry = await this.kv.get(account);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return null;
    // personal data stays out of the authority's KV: the global service keeps it, sealed
    const { name: _dropped, ...record } = AccountRecord.check(decodeJson(entry.value));
    return { record, revision: entry.revision };
  }

  /** Creates the record; false if another signup created it first. */
  async create(record: AccountRecord): Promise<boolean> {
    try {
      await this.kv.create(record.account, encodeJson(record));
      return true;
    } catch (err) {
      if (/wrong last sequence|key exists/i.test(String(err))) return false;
      throw err;
    }
  }

  /** Replaces the record only if it is still at `revision`; false when someone else changed it. */
  async update(record: AccountRecord, revision: number): Promise<boolean> {
    try {
      await this.kv.update(record.account, encodeJson(record), revision);
      return true;
    } catch (err) {
      if (/wrong last sequence/i.test(String(err))) return false;
      throw err;
    }
  }
}
