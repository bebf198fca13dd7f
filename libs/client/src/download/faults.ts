/**
 * Test-only faults the receiver injects on the first arrival of a chunk, to
 * prove retransmission (never set them in real use).
 */
export interface TestFaults {
  /** Fraction (0..1) of chunks to drop as if the network lost them. */
  dropRate?: number;
  /** Makes `dropRate` drop the same chunk indices on every run (benchmarks compare runs). */
  seed?: number;
  /** Index of a chunk whose first copy gets one byte flipped. */
  corruptChunk?: number;
  /** Indices of chunks whose first copy is dropped (e.g. the last one). */
  dropChunks?: number[];
  /** Drops the receiver's first final ack (the one that says every chunk arrived), as if the network lost it. */
  dropFinalAck?: boolean;
}

export type Fault = 'drop' | 'corrupt' | null;

/** A number in [0, 1) fixed by seed and index (one mulberry32 step), so arrival order does not change which chunks drop. */
function seededDraw(seed: number, index: number): number {
  let t = (Math.imul(seed, 0x9e3779b1) + index + 0x6d2b79f5) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

export function faultInjector(faults: TestFaults | undefined): (index: number) => Fault {
  const seen = new Set<number>();
  const seed = faults?.seed;
  const draw = (index: number) => (seed === undefined ? Math.random() : seededDraw(seed, index));
  return (index) => {
    if (!faults || seen.has(index)) return null;
    seen.add(index);
    if (faults.corruptChunk === index) return 'corrupt';
    if (faults.dropChunks?.includes(index)) return 'drop';
    if (faults.dropRate && draw(index) < faults.dropRate) return 'drop';
    return null;
  };
}
