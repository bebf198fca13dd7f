/**
 * Test-only faults the receiver injects on the first arrival of a chunk, to
 * prove retransmission (never set them in real use).
 */
export interface TestFaults {
  /** Fraction (0..1) of chunks to drop as if the network lost them. */
  dropRate?: number;
  /** Index of a chunk whose first copy gets one byte flipped. */
  corruptChunk?: number;
  /** Indices of chunks whose first copy is dropped (e.g. the last one). */
  dropChunks?: number[];
}

export type Fault = 'drop' | 'corrupt' | null;

export function faultInjector(faults: TestFaults | undefined): (index: number) => Fault {
  const seen = new Set<number>();
  return (index) => {
    if (!faults || seen.has(index)) return null;
    seen.add(index);
    if (faults.corruptChunk === index) return 'corrupt';
    if (faults.dropChunks?.includes(index)) return 'drop';
    if (faults.dropRate && Math.random() < faults.dropRate) return 'drop';
    return null;
  };
}
