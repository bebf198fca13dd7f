import { Codes, EventTypes, NatsterError, type EventType, type NatsterEvent } from '@natster/protocol';

/** Events accounts write about themselves; each needs the other account and the catalog. */
const SHARE_EVENTS: ReadonlySet<EventType> = new Set([
  EventTypes.catalogShared,
  EventTypes.catalogUnshared,
  EventTypes.catalogImported,
  EventTypes.catalogUnimported,
]);

/**
 * Decides whether `caller` may append `event`. Accounts write only events
 * whose origin is themselves; only the authority writes natster_initialized
 * (for the account it just signed), and it may also write catalog_imported
 * for that account (the demo catalog import it put into the account's JWT);
 * online/offline and context_bound come from the global service itself.
 */
export function authorizeEvent(event: NatsterEvent, caller: string, authorityAccount: string): void {
  const { origin, target, catalog } = event.data;
  if (event.type === EventTypes.natsterInitialized) {
    if (caller !== authorityAccount) {
      throw new NatsterError(Codes.forbidden, 'natster_initialized is written by the account authority when it completes a signup');
    }
  } else if (!SHARE_EVENTS.has(event.type)) {
    throw new NatsterError(Codes.forbidden, `${event.type} events are written by the global service itself`);
  } else {
    const signedImport = caller === authorityAccount && event.type === EventTypes.catalogImported;
    if (origin !== caller && !signedImport) {
      throw new NatsterError(Codes.forbidden, `an account may only write events whose origin is itself (you are ${caller})`);
    }
    if (!target || !catalog) throw new NatsterError(Codes.badRequest, `${event.type} needs data.target and data.catalog`);
    if (target === origin) throw new NatsterError(Codes.badRequest, `${event.type}: target must be another account`);
  }
  if (event.source !== `natster://${origin}`) {
    throw new NatsterError(Codes.badRequest, `event source must be natster://${origin}`);
  }
}
