import { Type, type Static } from '@sinclair/typebox';
import { AccountKey, CatalogName, IsoTime, message } from '@natster/protocol';

/**
 * Values the global service keeps in its own KV buckets. Only this service
 * reads them, but they are validated on read like any other message.
 */
const Seq = Type.Integer({ minimum: 0, description: 'log sequence of the last event applied' });

/** NATSTER_ACCOUNTS, key = account key. The display name stays sealed at rest. */
export const AccountRecord = message(
  Type.Object({
    seq: Seq,
    initialized_at: Type.Union([IsoTime, Type.Null()]),
    display_name_sealed: Type.Union([Type.String({ maxLength: 512 }), Type.Null()]),
    portal_bound_at: Type.Union([IsoTime, Type.Null()]),
  }),
  'account record',
);
export type AccountRecord = Static<typeof AccountRecord.schema>;

/** NATSTER_SHARES, key = `<owner>.<catalog>.<target>`. */
export const ShareRecord = message(
  Type.Object({
    seq: Seq,
    owner: AccountKey,
    target: AccountKey,
    catalog: CatalogName,
    shared: Type.Boolean(),
    shared_at: Type.Union([IsoTime, Type.Null()]),
    imported: Type.Boolean(),
    imported_at: Type.Union([IsoTime, Type.Null()]),
  }),
  'share record',
);
export type ShareRecord = Static<typeof ShareRecord.schema>;

/** NATSTER_STATS, key `totals`. */
export const StatsTotals = message(
  Type.Object({
    seq: Seq,
    accounts_initialized: Type.Integer({ minimum: 0 }),
    shares_active: Type.Integer({ minimum: 0 }),
    imports: Type.Integer({ minimum: 0 }),
    events_total: Type.Integer({ minimum: 0 }),
  }),
  'stats totals',
);
export type StatsTotals = Static<typeof StatsTotals.schema>;

/** NATSTER_STATS, keys `account.<key>` and `share.<owner>.<catalog>.<target>`: what the totals counted. */
export const StatsMember = message(
  Type.Object({ seq: Seq, initialized: Type.Boolean(), shared: Type.Boolean(), imported: Type.Boolean() }),
  'stats member',
);
export type StatsMember = Static<typeof StatsMember.schema>;

/** NATSTER_HEARTBEATS (expires) and NATSTER_ONLINE (kept until the sweep sees silence), key = `<owner>.<catalog>`. */
export const HeartbeatRecord = message(
  Type.Object({
    revision: Type.Integer({ minimum: 0 }),
    files: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    at: IsoTime,
  }),
  'heartbeat record',
);
export type HeartbeatRecord = Static<typeof HeartbeatRecord.schema>;

export const catalogKey = (owner: string, catalog: string): string => `${owner}.${catalog}`;
export const shareKey = (owner: string, catalog: string, target: string): string => `${owner}.${catalog}.${target}`;
