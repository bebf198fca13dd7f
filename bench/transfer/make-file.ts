import { createHash, randomFillSync } from 'node:crypto';
import { open } from 'node:fs/promises';

const BLOCK = 16 * 1024 * 1024;

/** Writes `size` random (incompressible) bytes to `path`; returns their SHA-256. */
export async function makeRandomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    const block = Buffer.allocUnsafe(Math.min(BLOCK, Math.max(1, size)));
    for (let written = 0; written < size; ) {
      const piece = block.subarray(0, Math.min(block.length, size - written));
      randomFillSync(piece);
      hash.update(piece);
      await file.write(piece, 0, piece.length, written);
      written += piece.length;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

const UNITS: Record<string, number> = { '': 1, B: 1, K: 1e3, KB: 1e3, KIB: 1024, M: 1e6, MB: 1e6, MIB: 1024 ** 2, G: 1e9, GB: 1e9, GIB: 1024 ** 3 };

/** Parses sizes such as `1GiB`, `256MiB`, `64MB`, `1048576`. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? UNITS[match[2]!.toUpperCase()] : undefined;
  if (!match || unit === undefined) throw new Error(`not a size: ${text} (try 1GiB, 256MiB, 64MB)`);
  return Math.round(Number(match[1]) * unit);
}
