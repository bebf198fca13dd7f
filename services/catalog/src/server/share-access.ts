import { Codes, EventTypes, NatsterError, type NatsterEvent } from '@natster/protocol';
import type { Logger } from '@natster/nats';

/** One of the owner's shares: `catalog` is shared with `account`. */
export interface OutgoingShare {
  catalog: string;
  account: string;
}

export type RevocationListener = (account: string, catalog: string) => void;

export interface ShareAccessOptions {
  /** The owner's account: only its own share events count. */
  owner: string;
  /** Reads the owner's current shares from the shares projection. */
  fetchShares: () => Promise<OutgoingShare[]>;
  /** How long a fetched snapshot is trusted before it is fetched again. */
  ttlMs?: number;
  logger: Logger;
}

interface TimedEvent {
  at: number;
  type: 'shared' | 'unshared';
  share: OutgoingShare;
}

/**
 * Decides whether another account may use one of the owner's catalogs,
 * from the shares projection. Decisions are cached; share events from the
 * live feed change the cache at once (unshared → refused and revocation
 * listeners called), and recent events are replayed over each new snapshot
 * so a projection that lags the feed can never bring a revoked share back.
 */
export class ShareAccess {
  private snapshot: Map<string, Set<string>> | null = null;
  private fetchedAt = 0;
  private inflight: Promise<Map<string, Set<string>>> | null = null;
  private recent: TimedEvent[] = [];
  private readonly listeners = new Set<RevocationListener>();
  private readonly ttlMs: number;

  constructor(private readonly options: ShareAccessOptions) {
    this.ttlMs = options.ttlMs ?? 30_000;
  }

  /** Throws 403 unless `caller` (null = same account) may use `catalog` right now. */
  async authorize(catalog: string, caller: string | null): Promise<void> {
    if (caller === null || caller === this.options.owner) return;
    const shares = await this.current();
    if (!shares.get(catalog)?.has(caller)) {
      throw new NatsterError(Codes.forbidden, `catalog ${catalog} is not shared with your account: ask its owner to run \`natster catalog share ${catalog} ${caller}\``);
    }
  }

  /** Applies a share event from the live feed (anything else is ignored). */
  applyEvent(event: NatsterEvent): void {
    const { origin, target, catalog } = event.data;
    if (origin !== this.options.owner || !target || !catalog) return;
    const type = event.type === EventTypes.catalogShared ? 'shared' : event.type === EventTypes.catalogUnshared ? 'unshared' : null;
    if (!type) return;
    const timed: TimedEvent = { at: Date.now(), type, share: { catalog, account: target } };
    this.recent = [...this.recent.filter((e) => timed.at - e.at < this.ttlMs * 2), timed];
    if (this.snapshot) apply(this.snapshot, timed);
    this.options.logger.info(`catalog ${type}`, { catalog, account: target });
    if (type === 'unshared') for (const listener of this.listeners) listener(target, catalog);
  }

  /** Registers a listener for lost access (e.g. to stop in-flight transfers); returns an unsubscribe. */
  onRevoked(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the snapshot, e.g. after reconnecting, when feed events may have been missed. */
  invalidate(): void {
    this.fetchedAt = 0;
  }

  private async current(): Promise<Map<string, Set<string>>> {
    if (this.snapshot && Date.now() - this.fetchedAt < this.ttlMs) return this.snapshot;
    this.inflight ??= this.fetch().finally(() => (this.inflight = null));
    try {
      return await this.inflight;
    } catch (err) {
      if (this.snapshot) {
        this.options.logger.warn('cannot refresh shares; using the last known ones', { error: err });
        return this.snapshot;
      }
      throw new NatsterError(Codes.unavailable, 'cannot check shares right now (the global service does not answer); try again shortly', { cause: err });
    }
  }

  private async fetch(): Promise<Map<string, Set<string>>> {
    const shares = await this.options.fetchShares();
    const snapshot = new Map<string, Set<string>>();
    for (const share of shares) apply(snapshot, { at: 0, type: 'shared', share });
    for (const event of this.recent) apply(snapshot, event);
    this.snapshot = snapshot;
    this.fetchedAt = Date.now();
    return snapshot;
  }
}

function apply(snapshot: Map<string, Set<string>>, event: TimedEvent): void {
  const { catalog, account } = event.share;
  const accounts = snapshot.get(catalog) ?? new Set<string>();
  if (event.type === 'shared') accounts.add(account);
  else accounts.delete(account);
  snapshot.set(catalog, accounts);
}
