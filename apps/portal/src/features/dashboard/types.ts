import type { EventType, StatsReply } from '@natster/protocol';

/** What the dashboard shows; served by /api/dashboard and rendered first on the server. */
export interface DashboardData {
  me: { account: string; displayName: string | null; context: string | null };
  stats: StatsReply;
  /** Catalogs I own that appear in the share projection. */
  myCatalogs: MyCatalog[];
  /** Catalogs my account imports (its JWT is the truth), including the hub's demo catalog. */
  sharedWithMe: IncomingCatalog[];
  /** Shared with me, not imported yet. */
  pending: PendingCatalog[];
  /** Newest first; what this session saw on the event feed. */
  events: EventView[];
}

export interface MyCatalog {
  catalog: string;
  online: boolean;
  revision: number | null;
  sharedWith: string[];
}

export interface IncomingCatalog {
  catalog: string;
  /** How my account addresses it (URLs, subjects): the name, or `name~<owner key prefix>` when two owners' share a name. */
  alias: string;
  owner: string;
  /** null when no share records it (e.g. the hub's demo catalog, imported at signup). */
  online: boolean | null;
  revision: number | null;
}

export interface PendingCatalog {
  catalog: string;
  owner: string;
  sharedAt: string | null;
}

export interface EventView {
  id: string;
  type: EventType;
  time: string;
  origin: string;
  target: string | null;
  catalog: string | null;
}
