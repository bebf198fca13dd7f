import { AckPolicy, DeliverPolicy, StorageType, type JetStreamClient, type JetStreamManager, type KV } from '@natster/nats';
import { Names } from './config';

const ms = (n: number) => n * 1_000_000;

/** Opens a KV bucket, creating it on first use (file storage, one value per key). */
export function openBucket(js: JetStreamClient, bucket: string, options: { replicas: number; ttlMs?: number }): Promise<KV> {
  return js.views.kv(bucket, {
    history: 1,
    replicas: options.replicas,
    storage: StorageType.File,
    ...(options.ttlMs ? { ttl: options.ttlMs } : {}),
  });
}

/** Deletes a KV bucket (its backing stream); absent is fine. */
export async function deleteBucket(jsm: JetStreamManager, bucket: string): Promise<void> {
  await jsm.streams.delete(`KV_${bucket}`).catch((err: unknown) => {
    if (!/stream not found/i.test(String(err))) throw err;
  });
}

/**
 * A durable pull consumer on the event log that hands out one event at a
 * time (max_ack_pending 1): however many instances pull from it, events are
 * applied strictly in log order.
 */
export async function ensureSerialConsumer(jsm: JetStreamManager, durable: string, deliver: 'all' | 'new'): Promise<void> {
  try {
    await jsm.consumers.info(Names.stream, durable);
    return;
  } catch (err) {
    if (!/consumer not found/i.test(String(err))) throw err;
  }
  await jsm.consumers.add(Names.stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: deliver === 'all' ? DeliverPolicy.All : DeliverPolicy.New,
    max_ack_pending: 1,
    ack_wait: ms(30_000),
  });
}

export async function deleteConsumer(jsm: JetStreamManager, durable: string): Promise<void> {
  await jsm.consumers.delete(Names.stream, durable).catch((err: unknown) => {
    if (!/consumer not found/i.test(String(err))) throw err;
  });
}

/** True when a consumer has nothing left to deliver and nothing unacknowledged. */
export async function consumerCaughtUp(jsm: JetStreamManager, durable: string): Promise<boolean> {
  const info = await jsm.consumers.info(Names.stream, durable);
  return info.num_pending === 0 && info.num_ack_pending === 0;
}
