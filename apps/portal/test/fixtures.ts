import type { CatalogEntry, CatalogPage } from '@natster/protocol';
import type { DashboardData } from '../src/features/dashboard/types';

export const ME = 'A' + 'M'.repeat(55);
export const FRIEND = 'A' + 'F'.repeat(55);
export const HUB = 'A' + 'H'.repeat(55);

export function dashboard(overrides: Partial<DashboardData> = {}): DashboardData {
  return {
    me: { account: ME, displayName: 'Mia', context: 'default' },
    stats: { accounts_initialized: 3, catalogs_online: 1, shares_active: 0, imports: 2, events_total: 9 },
    myCatalogs: [],
    sharedWithMe: [{ catalog: 'hub', alias: 'hub', owner: HUB, online: true, revision: 1 }],
    pending: [],
    events: [],
    ...overrides,
  };
}

export function entry(i: number, overrides: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    path: `music/track-${String(i).padStart(5, '0')}.mp3`,
    hash: i.toString(16).padStart(64, '0'),
    size: 3_000_000 + i,
    mtime_ms: 1_700_000_000_000,
    mime_type: 'audio/mpeg',
    ...overrides,
  };
}

/** A fake catalog of `total` files, paged like the catalog server pages (cursor = next index). */
const catalogs = new Map<number, CatalogEntry[]>();

export function page(total: number, cursor: string | null, limit: number, search = ''): CatalogPage {
  if (!catalogs.has(total)) catalogs.set(total, Array.from({ length: total }, (_, i) => entry(i)));
  const all = catalogs.get(total)!.filter((e) => e.path.includes(search));
  const start = cursor ? Number(cursor) : 0;
  const end = Math.min(all.length, start + limit);
  return {
    catalog: 'music',
    description: 'All my records',
    revision: 4,
    total: all.length,
    entries: all.slice(start, end),
    next_cursor: end < all.length ? String(end) : null,
  };
}
