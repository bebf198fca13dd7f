import { decodeJson, type JetStreamClient, type NatsConnection } from '@natster/nats';
import type { GlobalConfig } from './config';
import { consumerCaughtUp, deleteBucket, deleteConsumer, openBucket } from './jetstream';
import { projectors } from './projections/projectors';
import { runProjector } from './projections/run-projector';

/** True when every projector has applied every event in the log. */
export async function projectionsCaughtUp(nc: NatsConnection): Promise<boolean> {
  const jsm = await nc.jetstreamManager();
  for (const p of projectors) {
    const done = await consumerCaughtUp(jsm, p.durable).catch(() => false);
    if (!done) return false;
  }
  return true;
}

/** Waits until the projections reflect the whole log. */
export async function waitForProjections(nc: NatsConnection, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await projectionsCaughtUp(nc))) {
    if (Date.now() > deadline) throw new Error(`projections did not catch up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every projected record, bucket → key → value, without KV revisions (for comparisons). */
export async function snapshotProjections(js: JetStreamClient, replicas = 1): Promise<Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const p of projectors) {
    const kv = await openBucket(js, p.bucket, { replicas });
    const records: Record<string, unknown> = {};
    const keys: string[] = [];
    for await (const key of await kv.keys()) keys.push(key);
    for (const key of keys.sort()) {
      const entry = await kv.get(key);
      if (entry?.operation === 'PUT') records[key] = decodeJson(entry.value);
    }
    out[p.bucket] = records;
  }
  return out;
}

/**
 * Deletes every projection bucket and projector consumer, then replays the
 * whole log into fresh ones and returns once they have caught up. Running
 * global instances notice the deleted consumers and re-create them.
 */
export async function rebuildProjections(nc: NatsConnection, config: Pick<GlobalConfig, 'replicas' | 'logger'>): Promise<void> {
  const jsm = await nc.jetstreamManager();
  for (const p of projectors) {
    await deleteConsumer(jsm, p.durable);
    await deleteBucket(jsm, p.bucket);
  }
  const js = nc.jetstream();
  const running = projectors.map((p) => runProjector(js, nc, p, config));
  try {
    await waitForProjections(nc, 10 * 60_000);
  } finally {
    await Promise.all(running.map((r) => r.stop()));
  }
}
