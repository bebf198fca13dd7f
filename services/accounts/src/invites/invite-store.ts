import { Type, type Static } from '@sinclair/typebox';
import { IsoTime, message } from '@natster/protocol';
import { decodeJson, encodeJson, type KV, type NatsConnection } from '@natster/nats';

export const INVITES_BUCKET = 'natster_authority_invites';

const InviteRecordSchema = Type.Object({
  id: Type.String(),
  /** Accounts it may create. */
  uses: Type.Integer({ minimum: 1 }),
  /** Accounts it has created (only ever raised by compare-and-set). */
  used: Type.Integer({ minimum: 0 }),
  expires_at: IsoTime,
  note: Type.Optional(Type.String({ maxLength: 200 })),
  created_at: IsoTime,
  revoked_at: Type.Optional(IsoTime),
  /** The accounts it created, for the owner's records. */
  accounts: Type.Array(Type.String()),
});
export type InviteRecord = Static<typeof InviteRecordSchema>;
const InviteRecord = message(InviteRecordSchema, 'stored invite record');

export interface StoredInvite {
  record: InviteRecord;
  revision: number;
}

/**
 * Invites in a JetStream KV bucket of the AUTHORITY account (key = invite id):
 * only the hub's owner (AUTHORITY creds) and the authority can read or write it.
 */
export class InviteStore {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, replicas = 1): Promise<InviteStore> {
    return new InviteStore(await nc.jetstream().views.kv(INVITES_BUCKET, { history: 5, replicas }));
  }

  async get(id: string): Promise<StoredInvite | null> {
    const entry = await this.kv.get(id);
    if (!entry || entry.operation !== 'PUT' || entry.length === 0) return null;
    return { record: InviteRecord.check(decodeJson(entry.value)), revision: entry.revision };
  }

  async create(record: InviteRecord): Promise<void> {
    await this.kv.create(record.id, encodeJson(InviteRecord.check(record)));
  }

  /** Replaces the record only if it is still at `revision`; false when someone else changed it first. */
  async update(record: InviteRecord, revision: number): Promise<boolean> {
    try {
      await this.kv.update(record.id, encodeJson(record), revision);
      return true;
    } catch (err) {
      if (/wrong last sequence/i.test(String(err))) return false;
      throw err;
    }
  }

  async list(): Promise<InviteRecord[]> {
    const ids: string[] = [];
    for await (const id of await this.kv.keys()) ids.push(id);
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.flatMap((f) => (f ? [f.record] : [])).sort((a, b) => a.created_at.localeCompare(b.created_at));
  }
}
