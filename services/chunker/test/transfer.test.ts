import { describe, expect, it } from 'vitest';
import { Transfer, probeDelay, type TransferPlan } from '../src/transfer';

function plan(total: number): TransferPlan {
  return {
    id: 'T1234567',
    catalog: 'films',
    downloader: null,
    path: '/dev/null',
    offset: 0,
    length: total * 10,
    chunkSize: 10,
    total,
    salt: new Uint8Array(16),
    key: new Uint8Array(32),
    mediaSubject: 'natster.media.films.T1234567',
    ackSubject: 'natster.catalog.films.transfer.T1234567.ack',
  };
}

/** Takes and "publishes" everything the transfer offers now; returns the indices. */
function drain(t: Transfer, clock: { seq: number; now: number }): number[] {
  const out: number[] = [];
  for (let next = t.take(true); next; next = t.take(true)) {
    out.push(next.index);
    t.onPublished(next.index, ++clock.seq, clock.now);
  }
  return out;
}

describe('transfer flow control', () => {
  it('sends nothing before the first ack, then at most a window of chunks beyond what the receiver consumed', () => {
    const clock = { seq: 0, now: 0 };
    const t = new Transfer(plan(20), 4, 0);
    expect(drain(t, clock)).toEqual([]);
    t.onAck({ next: 0, high: 0, last: -1, missing: [] }, 1);
    expect(drain(t, clock)).toEqual([0, 1, 2, 3]);
    t.onAck({ next: 2, high: 4, last: 3, missing: [] }, 2);
    expect(drain(t, clock)).toEqual([4, 5]);
  });

  it('resends a chunk reported missing once a later chunk arrived, but not one still in flight', () => {
    const clock = { seq: 0, now: 0 };
    const t = new Transfer(plan(20), 8, 0);
    t.onAck({ next: 0, high: 0, last: -1, missing: [] }, 0);
    drain(t, clock);
    // 2 lost; 3 arrived after it. 5 is reported missing only because 6 overtook it in the sealing pool.
    t.onAck({ next: 2, high: 7, last: 3, missing: [2, 5] }, 1);
    expect(drain(t, clock)).toEqual([2, 8, 9]);
    expect(t.onAck({ next: 20, high: 20, last: 19, missing: [] }, 2)).toBe('done');
  });

  it('resends chunks unacknowledged for too long, which rescues a lost last chunk', () => {
    const clock = { seq: 0, now: 0 };
    const t = new Transfer(plan(3), 8, 0);
    t.onAck({ next: 0, high: 0, last: -1, missing: [] }, 0);
    drain(t, clock);
    t.onAck({ next: 2, high: 2, last: 1, missing: [] }, 100);
    expect(t.resendStale(1_000, 2_000)).toBe(0);
    expect(t.resendStale(2_500, 2_000)).toBe(1);
    expect(drain(t, clock)).toEqual([2]);
  });

  it('resends a lost chunk once, however many acks list it before the new copy is published', () => {
    const clock = { seq: 0, now: 0 };
    const t = new Transfer(plan(20), 8, 0);
    t.onAck({ next: 0, high: 0, last: -1, missing: [] }, 0);
    drain(t, clock);
    // 2 was lost; three acks list it while its resend is still being sealed
    for (const last of [3, 4, 5]) t.onAck({ next: 2, high: last + 1, last, missing: [2] }, 1);
    const taken: number[] = [];
    for (let next = t.take(false); next; next = t.take(false)) taken.push(next.index);
    expect(taken).toEqual([2]);
    t.onPublished(2, ++clock.seq, 2);
    // an ack sent before the new copy arrived lists it again: it is still travelling
    t.onAck({ next: 2, high: 7, last: 6, missing: [2] }, 3);
    expect(t.take(false)).toBeNull();
  });

  it('probes a silent receiver with one chunk at growing intervals instead of resending its window', () => {
    const clock = { seq: 0, now: 0 };
    const after = 100;
    const t = new Transfer(plan(20), 8, 0);
    t.onAck({ next: 0, high: 0, last: -1, missing: [] }, 0);
    expect(drain(t, clock)).toHaveLength(8);
    const probes: { at: number; index: number }[] = [];
    for (let now = 0; now <= 3_000; now += 10) {
      t.resendStale(now, after);
      for (let next = t.take(false); next; next = t.take(false)) {
        probes.push({ at: now, index: next.index });
        t.onPublished(next.index, ++clock.seq, now);
      }
    }
    // silent from 0: the first probe once `after` has passed, then at 3×, 7×, 15× `after`
    expect(probes.map((p) => p.at)).toEqual([110, 300, 700, 1500]);
    // each probe is the oldest unacknowledged chunk, not the window
    expect(probes.map((p) => p.index)).toEqual([0, 0, 0, 0]);
    expect([0, 1, 2, 3].map((n) => probeDelay(after, n))).toEqual([100, 300, 700, 1500]);
    // an ack ends the silence: probing starts over
    t.onAck({ next: 1, high: 8, last: 7, missing: [] }, 3_000);
    expect(t.probes).toBe(0);
  });

  it('ignores acks that claim more than the transfer has, and honours a cancel', () => {
    const t = new Transfer(plan(3), 8, 0);
    expect(t.onAck({ next: 4, high: 4, last: 3, missing: [] }, 1)).toBe('invalid');
    expect(t.onAck({ next: 0, high: 0, last: -1, missing: [], cancel: true }, 1)).toBe('cancelled');
  });
});
