import { decodeJson, encodeJson, type KV } from '@natster/nats';
import { Codes, NatsterError, type Message } from '@natster/protocol';
import type { Static, TSchema } from '@sinclair/typebox';

/** Every projected record remembers the log sequence of the last event applied to it. */
export interface Sequenced {
  seq: number;
}

const MAX_ATTEMPTS = 20;

function isCasConflict(err: unknown): boolean {
  return /wrong last sequence|key exists/i.test(String(err));
}

/** Reads one record, validated; null when the key has no live value. */
export async function readRecord<S extends TSchema>(kv: KV, key: string, schema: Message<S>): Promise<Static<S> | null> {
  const entry = await kv.get(key);
  if (!entry || entry.operation !== 'PUT') return null;
  return schema.check(decodeJson(entry.value));
}

/**
 * Applies the event at log sequence `seq` to one key, at most once:
 * a record that already reflects `seq` (or later) is left alone, so
 * replaying the log changes nothing; writes are compare-and-set on the KV
 * revision, so two instances racing on the same key never clobber each other.
 * `change` gets the current record (null if none) and returns the new one,
 * or null to leave the key unchanged.
 */
export async function applyOnce<S extends TSchema>(
  kv: KV,
  key: string,
  seq: number,
  schema: Message<S>,
  change: (current: Static<S> | null) => Omit<Static<S>, 'seq'> | null,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const entry = await kv.get(key);
    const current = entry && entry.operation === 'PUT' ? (schema.check(decodeJson(entry.value)) as Static<S> & Sequenced) : null;
    if (current && current.seq >= seq) return;
    const next = change(current);
    if (next === null) return;
    const bytes = encodeJson({ ...next, seq });
    try {
      if (entry) await kv.update(key, bytes, entry.revision);
      else await kv.create(key, bytes);
      return;
    } catch (err) {
      if (!isCasConflict(err)) throw err;
    }
  }
  throw new NatsterError(Codes.internal, `could not update ${key}: too many concurrent writers`);
}

/** Every live record of a bucket, keyed (for snapshots and scans). */
export async function readAll<S extends TSchema>(kv: KV, schema: Message<S>, filter?: string): Promise<Map<string, Static<S>>> {
  const out = new Map<string, Static<S>>();
  const keys: string[] = [];
  for await (const key of await kv.keys(filter)) keys.push(key);
  for (const key of keys) {
    const record = await readRecord(kv, key, schema);
    if (record) out.set(key, record);
  }
  return out;
}
