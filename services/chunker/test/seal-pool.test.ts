import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createXKey, decodeXKey, openChunk, randomBytes, transferKeys, transferSalt } from '@natster/crypto';
import { createSealPool, type SealPool } from '../src/seal-pool';

const CHUNK = 64 * 1024;

describe('seal pool', () => {
  let dir: string;
  let file: string;
  let content: Uint8Array;
  let pool: SealPool;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-seal-pool-'));
    file = join(dir, 'media.bin');
    content = randomBytes(3 * CHUNK + 1000);
    await writeFile(file, content);
    pool = createSealPool({ threads: 1, slotBytes: CHUNK + 64 });
  });

  afterAll(async () => {
    await pool.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('seals file ranges that the receiver opens at their index, including after failed reads', async () => {
    const sender = createXKey();
    const receiver = createXKey();
    const id = 'T' + Date.now();
    const salt = transferSalt(id);
    const { key } = transferKeys(id, decodeXKey(receiver.publicKey), sender.secretKey);
    const opener = transferKeys(id, decodeXKey(sender.publicKey), receiver.secretKey);

    // More failures than the pool has slots: a slot lost with a failed task must be replaced.
    for (let i = 0; i < 3; i++) {
      await expect(pool.seal({ path: join(dir, 'gone.bin'), position: 0, length: CHUNK, index: 0, salt, key })).rejects.toThrow(/gone\.bin/);
    }

    const sealed = await Promise.all(
      [0, 1, 2, 3].map(async (index) => {
        const length = Math.min(CHUNK, content.length - index * CHUNK);
        const chunk = await pool.seal({ path: file, position: index * CHUNK, length, index, salt, key });
        const copy = Uint8Array.from(chunk.bytes);
        chunk.release();
        return copy;
      }),
    );
    const opened = sealed.map((chunk, index) => openChunk(opener, index, chunk));
    expect(opened.every((chunk) => chunk !== null)).toBe(true);
    expect(Buffer.concat(opened as Uint8Array[]).equals(content)).toBe(true);
    expect(openChunk(opener, 1, sealed[0]!)).toBeNull();
  });
});
