import { describe, expect, it } from 'vitest';
import { Scheduler, type Work } from '../src/scheduler';
import type { TransferPlan } from '../src/transfer';

let ids = 0;
function plan(downloader: string | null, total = 1_000): TransferPlan {
  const id = `T${String(++ids).padStart(8, '0')}`;
  return {
    id,
    catalog: 'films',
    downloader,
    path: '/dev/null',
    offset: 0,
    length: total * 10,
    chunkSize: 10,
    total,
    salt: new Uint8Array(16),
    key: new Uint8Array(32),
    mediaSubject: `natster.media.films.${id}`,
    ackSubject: `natster.catalog.films.transfer.${id}.ack`,
  };
}

const grant = { next: 0, high: 0, last: -1, missing: [] };

/** Takes everything on offer and "publishes" it; returns chunks per transfer id. */
function publishAll(s: Scheduler, clock: { seq: number; now: number }): Map<string, Work[]> {
  const out = new Map<string, Work[]>();
  for (const work of s.takeAll()) {
    work.transfer.onPublished(work.index, ++clock.seq, clock.now);
    out.set(work.transfer.plan.id, [...(out.get(work.transfer.plan.id) ?? []), work]);
  }
  return out;
}

describe('the chunker scheduler', () => {
  it('gives each downloading account an equal share of the budget, so a newcomer has room while silent receivers hold theirs', () => {
    const clock = { seq: 0, now: 0 };
    const s = new Scheduler({ window: 32, budget: 128, idleTimeoutMs: 30_000, retransmitAfterMs: 2_000 });
    const silent = ['A1', 'A2', 'A3', 'A4'].map((account) => s.add(plan(account), 0));
    for (const t of silent) s.onAck(t.plan.id, grant, 0);
    const first = publishAll(s, clock);
    // four accounts: 32 chunks each, the whole budget, and their receivers never ack again
    expect(silent.map((t) => first.get(t.plan.id)?.length)).toEqual([32, 32, 32, 32]);
    const newcomer = s.add(plan('A5', 3), 1);
    s.onAck(newcomer.plan.id, grant, 1);
    const second = publishAll(s, clock);
    expect(second.get(newcomer.plan.id)?.map((w) => w.index)).toEqual([0, 1, 2]);
    expect(second.size).toBe(1);
    expect(s.share()).toBe(25);
  });

  it('shares an account’s part between its transfers in turn, and returns a finished transfer’s part', () => {
    const clock = { seq: 0, now: 0 };
    const s = new Scheduler({ window: 32, budget: 20, idleTimeoutMs: 30_000, retransmitAfterMs: 2_000 });
    const [a, b] = [s.add(plan('A1'), 0), s.add(plan('A1'), 0)];
    const other = s.add(plan('A2'), 0);
    for (const t of [a, b, other]) s.onAck(t.plan.id, grant, 0);
    const sent = publishAll(s, clock);
    expect([a, b, other].map((t) => sent.get(t.plan.id)?.length)).toEqual([5, 5, 10]);
    expect(s.onAck(other.plan.id, { next: 1_000, high: 1_000, last: 999, missing: [] }, 1)).toBe('done');
    expect(s.counters.completed).toBe(1);
    // A2 is gone: A1 now has the whole budget
    const more = publishAll(s, clock);
    expect([a, b].map((t) => more.get(t.plan.id)?.length)).toEqual([5, 5]);
  });

  it('abandons a receiver silent past the idle timeout, and counts it', () => {
    const s = new Scheduler({ window: 4, budget: 16, idleTimeoutMs: 1_000, retransmitAfterMs: 100 });
    const t = s.add(plan('A1'), 0);
    s.onAck(t.plan.id, grant, 0);
    s.takeAll();
    expect(s.tick(900)).toEqual([]);
    expect(s.tick(1_001)).toEqual([t]);
    expect(s.size).toBe(0);
    expect(s.counters.abandoned).toBe(1);
  });
});
