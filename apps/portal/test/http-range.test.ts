import { describe, expect, it } from 'vitest';
import { capRange, parseRange } from '../src/lib/http-range';

describe('parseRange', () => {
  const size = 1000;

  it('no header or a header we ignore means the whole file', () => {
    expect(parseRange(null, size)).toEqual({ kind: 'full' });
    expect(parseRange('items=0-5', size)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=0-5,10-20', size)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=-', size)).toEqual({ kind: 'full' });
    expect(parseRange('bytes=9-3', size)).toEqual({ kind: 'full' });
  });

  it('first bytes, middle and open-ended ranges', () => {
    expect(parseRange('bytes=0-99', size)).toEqual({ kind: 'partial', range: { start: 0, end: 99 }, openEnded: false });
    expect(parseRange('bytes=400-599', size)).toEqual({ kind: 'partial', range: { start: 400, end: 599 }, openEnded: false });
    expect(parseRange('bytes=900-', size)).toEqual({ kind: 'partial', range: { start: 900, end: 999 }, openEnded: true });
  });

  it('an end past the file is clamped to the last byte', () => {
    expect(parseRange('bytes=990-5000', size)).toEqual({ kind: 'partial', range: { start: 990, end: 999 }, openEnded: false });
  });

  it('suffix ranges count from the end, and a suffix longer than the file means all of it', () => {
    expect(parseRange('bytes=-100', size)).toEqual({ kind: 'partial', range: { start: 900, end: 999 }, openEnded: false });
    expect(parseRange('bytes=-5000', size)).toEqual({ kind: 'partial', range: { start: 0, end: 999 }, openEnded: false });
  });

  it('ranges that start past the end, or an empty suffix, are unsatisfiable', () => {
    expect(parseRange('bytes=1000-', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=5000-6000', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-0', size)).toEqual({ kind: 'unsatisfiable' });
    expect(parseRange('bytes=-10', 0)).toEqual({ kind: 'unsatisfiable' });
  });

  it('capRange shortens long ranges only', () => {
    expect(capRange({ start: 10, end: 999 }, 100)).toEqual({ start: 10, end: 109 });
    expect(capRange({ start: 10, end: 20 }, 100)).toEqual({ start: 10, end: 20 });
  });
});
