import { pendingShares } from '@natster/client';
import type { ImportedCatalog, NatsterEvent, ShareView } from '@natster/protocol';
import type { DashboardData, EventView } from '@/features/dashboard/types';

type Lists = Pick<DashboardData, 'myCatalogs' | 'sharedWithMe' | 'pending'>;

/**
 * Splits the share projection (both sides of every share I take part in)
 * into what the dashboard lists: my catalogs with who they are shared with,
 * catalogs my account imports, and shares still waiting for an import.
 */
export function shapeShares(me: string, shares: readonly ShareView[], imports: readonly ImportedCatalog[]): Lists {
  const mine = new Map<string, DashboardData['myCatalogs'][number]>();
  const sharedWithMe: Lists['sharedWithMe'] = [];
  for (const s of shares) {
    if (s.owner === me) {
      const entry = mine.get(s.catalog) ?? { catalog: s.catalog, online: s.online, revision: s.revision, sharedWith: [] };
      if (s.shared && s.target !== me) entry.sharedWith.push(s.target);
      mine.set(s.catalog, entry);
    }
  }
  for (const i of imports) {
    const share = shares.find((s) => s.owner === i.owner && s.target === me && s.catalog === i.catalog);
    sharedWithMe.push({ catalog: i.catalog, alias: i.alias, owner: i.owner, online: share?.online ?? null, revision: share?.revision ?? null });
  }
  const byName = (a: { catalog: string }, b: { catalog: string }) => a.catalog.localeCompare(b.catalog);
  const pending = pendingShares(shares, me).map((p) => ({ catalog: p.catalog, owner: p.owner, sharedAt: p.shared_at ?? null }));
  return { myCatalogs: [...mine.values()].sort(byName), sharedWithMe: sharedWithMe.sort(byName), pending };
}

export function eventView(event: NatsterEvent): EventView {
  return { id: event.id, type: event.type, time: event.time, origin: event.data.origin, target: event.data.target, catalog: event.data.catalog };
}
