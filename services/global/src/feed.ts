import { encodeJson, type KV, type NatsConnection } from '@natster/nats';
import { EventTypes, scoped, subjects, type NatsterEvent } from '@natster/protocol';
import { openEvent } from './personal-data';
import { readAll } from './projections/apply-once';
import { ShareRecord } from './projections/records';

/** The accounts an event concerns: its origin, its target, and for online/offline everyone the catalog is shared with. */
export async function audienceOf(event: NatsterEvent, shares: KV): Promise<Set<string>> {
  const audience = new Set<string>([event.data.origin]);
  if (event.data.target) audience.add(event.data.target);
  const { catalog } = event.data;
  if ((event.type === EventTypes.catalogOnline || event.type === EventTypes.catalogOffline) && catalog) {
    const records = await readAll(shares, ShareRecord, `${event.data.origin}.${catalog}.*`);
    for (const record of records.values()) if (record.shared || record.imported) audience.add(record.target);
  }
  return audience;
}

/**
 * Publishes one logged event to `<ACCOUNT>.natster.global-events.<type>` for
 * each account it concerns; each account sees `natster.global-events.<type>`
 * through its import. Personal fields are opened: only the parties see them.
 */
export async function publishToFeed(nc: NatsConnection, dataKey: Uint8Array, shares: KV, event: NatsterEvent): Promise<void> {
  const body = encodeJson(openEvent(dataKey, event));
  for (const account of await audienceOf(event, shares)) {
    nc.publish(scoped(account, subjects.globalEvents(event.type)), body);
  }
}
