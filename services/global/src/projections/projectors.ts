import type { KV } from '@natster/nats';
import { EventTypes, type NatsterEvent } from '@natster/protocol';
import { Names } from '../config';
import { applyOnce, readRecord } from './apply-once';
import { AccountRecord, ShareRecord, StatsMember, StatsTotals, shareKey } from './records';

/**
 * A projector folds the event log into one KV bucket. Each has its own
 * durable consumer; `apply` must be idempotent (see applyOnce).
 */
export interface Projector {
  /** Durable consumer name on NATSTER_EVENTS. */
  durable: string;
  bucket: string;
  apply(kv: KV, event: NatsterEvent, seq: number): Promise<void>;
}

/** The (owner, catalog, target) a share or import event is about; null for other events. */
export function shareOf(event: NatsterEvent): { owner: string; catalog: string; target: string } | null {
  const { origin, target, catalog } = event.data;
  if (!target || !catalog) return null;
  switch (event.type) {
    case EventTypes.catalogShared:
    case EventTypes.catalogUnshared:
      return { owner: origin, catalog, target };
    case EventTypes.catalogImported:
    case EventTypes.catalogUnimported:
      // the importer is the origin; the owner is the target
      return { owner: target, catalog, target: origin };
    default:
      return null;
  }
}

const emptyAccount = { initialized_at: null, display_name_sealed: null, portal_bound_at: null };

export const accountsProjector: Projector = {
  durable: 'projector-accounts',
  bucket: Names.buckets.accounts,
  async apply(kv, event, seq) {
    const details = event.data.details ?? {};
    const name = details.display_name ?? details.name;
    if (event.type === EventTypes.natsterInitialized) {
      await applyOnce(kv, event.data.origin, seq, AccountRecord, (current) => ({
        ...(current ?? emptyAccount),
        // a repeated (idempotent) signup keeps the first time
        initialized_at: current?.initialized_at ?? event.time,
        display_name_sealed: typeof name === 'string' ? name : (current?.display_name_sealed ?? null),
      }));
    } else if (event.type === EventTypes.contextBound) {
      await applyOnce(kv, event.data.origin, seq, AccountRecord, (current) => ({ ...(current ?? emptyAccount), portal_bound_at: event.time }));
    }
  },
};

export const sharesProjector: Projector = {
  durable: 'projector-shares',
  bucket: Names.buckets.shares,
  async apply(kv, event, seq) {
    const share = shareOf(event);
    if (!share) return;
    const base = { ...share, shared: false, shared_at: null, imported: false, imported_at: null };
    await applyOnce(kv, shareKey(share.owner, share.catalog, share.target), seq, ShareRecord, (current) => {
      const record = current ?? base;
      switch (event.type) {
        case EventTypes.catalogShared:
          return { ...record, shared: true, shared_at: event.time };
        case EventTypes.catalogUnshared:
          return current ? { ...record, shared: false, shared_at: null } : null;
        case EventTypes.catalogImported:
          return { ...record, imported: true, imported_at: event.time };
        default:
          return current ? { ...record, imported: false, imported_at: null } : null;
      }
    });
  },
};

type Membership = Omit<StatsMember, 'seq'>;
const notMember: Membership = { initialized: false, shared: false, imported: false };

/** What an event makes of one membership record. */
function nextMembership(event: NatsterEvent, current: Membership): Membership {
  switch (event.type) {
    case EventTypes.natsterInitialized:
      return { ...current, initialized: true };
    case EventTypes.catalogShared:
      return { ...current, shared: true };
    case EventTypes.catalogUnshared:
      return { ...current, shared: false };
    case EventTypes.catalogImported:
      return { ...current, imported: true };
    case EventTypes.catalogUnimported:
      return { ...current, imported: false };
    default:
      return current;
  }
}

const delta = (before: boolean, after: boolean): number => Number(after) - Number(before);

/**
 * Totals plus the membership records they were counted from. The totals are
 * written before the membership, both guarded by sequence, so a replay after
 * a crash between the two writes counts nothing twice.
 */
export const statsProjector: Projector = {
  durable: 'projector-stats',
  bucket: Names.buckets.stats,
  async apply(kv, event, seq) {
    const share = shareOf(event);
    const memberKey =
      event.type === EventTypes.natsterInitialized
        ? `account.${event.data.origin}`
        : share
          ? `share.${shareKey(share.owner, share.catalog, share.target)}`
          : null;
    const before = (memberKey ? await readRecord(kv, memberKey, StatsMember) : null) ?? { ...notMember, seq: 0 };
    const after = nextMembership(event, before);
    await applyOnce(kv, 'totals', seq, StatsTotals, (t) => ({
      accounts_initialized: (t?.accounts_initialized ?? 0) + delta(before.initialized, after.initialized),
      shares_active: (t?.shares_active ?? 0) + delta(before.shared, after.shared),
      imports: (t?.imports ?? 0) + delta(before.imported, after.imported),
      events_total: (t?.events_total ?? 0) + 1,
    }));
    if (memberKey) await applyOnce(kv, memberKey, seq, StatsMember, () => after);
  },
};

export const projectors: readonly Projector[] = [accountsProjector, sharesProjector, statsProjector];
