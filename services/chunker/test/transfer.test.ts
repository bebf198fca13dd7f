import { describe, expect, it } from 'vitest';
import { Transfer, type TransferPlan } from '../src/transfer';

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

  it('ignores acks that claim more than the transfer has, and honours a cancel', () => {
    const t = new Transfer(plan(3), 8, 0);
    expect(t.onAck({ next: 4, high: 4, last: 3, missing: [] }, 1)).toBe('invalid');
    expect(t.onAck({ next: 0, high: 0, last: -1, missing: [], cancel: true }, 1)).toBe('cancelled');
  });
});
