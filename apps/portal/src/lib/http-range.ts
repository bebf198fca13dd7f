/**
 * HTTP Range parsing (RFC 9110 §14), pure so it can be tested on its own.
 * Only single byte ranges are honoured: a multi-range request is answered
 * with the whole representation, which the RFC allows and every media
 * element is happy with.
 */

/** An inclusive byte range within a representation of `size` bytes. */
export interface ByteRange {
  start: number;
  /** Inclusive, as in Content-Range. */
  end: number;
}

export type RangeRequest =
  /** No Range header, or one we ignore: send everything with 200. */
  | { kind: 'full' }
  /** A satisfiable range: send it with 206. `openEnded` for `bytes=N-`. */
  | { kind: 'partial'; range: ByteRange; openEnded: boolean }
  /** Syntactically valid but outside the representation: 416. */
  | { kind: 'unsatisfiable' };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'full' };
  const match = SINGLE_RANGE.exec(header.trim().replace(/\s+/g, ''));
  if (!match) return { kind: 'full' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'full' };

  if (first === '') {
    // suffix range: the last N bytes
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', range: { start: Math.max(0, size - suffix), end: size - 1 }, openEnded: false };
  }

  const start = Number(first);
  if (!Number.isSafeInteger(start)) return { kind: 'full' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const requestedEnd = last === '' ? size - 1 : Number(last);
  if (requestedEnd < start) return { kind: 'full' };
  return { kind: 'partial', range: { start, end: Math.min(requestedEnd, size - 1) }, openEnded: last === '' };
}

/** Limits an open-ended range so one request never commits to a whole large file. */
export function capRange(range: ByteRange, maxLength: number): ByteRange {
  return { start: range.start, end: Math.min(range.end, range.start + maxLength - 1) };
}

export const contentRange = (range: ByteRange, size: number): string => `bytes ${range.start}-${range.end}/${size}`;
export const unsatisfiedRange = (size: number): string => `bytes */${size}`;
export const rangeLength = (range: ByteRange): number => range.end - range.start + 1;
