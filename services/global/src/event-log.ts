import { DiscardPolicy, RetentionPolicy, StorageType, encodeJson, type JetStreamClient, type JetStreamManager } from '@natster/nats';
import { patterns, subjects, type NatsterEvent } from '@natster/protocol';
import { Defaults, Names, type GlobalConfig } from './config';
import { sealEvent } from './personal-data';

const ms = (n: number) => n * 1_000_000;

/** Creates the event log stream, or leaves an existing one as it is. */
export async function ensureEventStream(
  jsm: JetStreamManager,
  config: Pick<GlobalConfig, 'replicas' | 'eventMaxAgeMs' | 'eventMaxBytes'>,
): Promise<void> {
  try {
    await jsm.streams.info(Names.stream);
    return;
  } catch (err) {
    if (!/stream not found/i.test(String(err))) throw err;
  }
  const duplicateWindow = config.eventMaxAgeMs > 0 ? Math.min(config.eventMaxAgeMs, Defaults.duplicateWindowMs) : Defaults.duplicateWindowMs;
  await jsm.streams.add({
    name: Names.stream,
    subjects: [patterns.events],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    // the log is the source of truth: refuse new events rather than silently forget old ones
    discard: DiscardPolicy.New,
    max_age: ms(config.eventMaxAgeMs),
    max_bytes: config.eventMaxBytes,
    max_msg_size: 64 * 1024,
    duplicate_window: ms(duplicateWindow),
    num_replicas: config.replicas,
  });
}

export interface Appended {
  seq: number;
  duplicate: boolean;
}

/** Appends an already-authorized event; its id de-duplicates retries (JetStream msgID). */
export async function appendEvent(js: JetStreamClient, dataKey: Uint8Array, event: NatsterEvent): Promise<Appended> {
  const { origin, target, catalog } = event.data;
  const ack = await js.publish(subjects.event(origin, target, catalog, event.type), encodeJson(sealEvent(dataKey, event)), {
    msgID: event.id,
  });
  return { seq: ack.seq, duplicate: ack.duplicate };
}
