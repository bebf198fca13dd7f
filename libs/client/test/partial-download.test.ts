import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_BYTES, Checkpointer } from '../src/download/checkpoint';
import { OutputExistsError, checkOutputPath } from '../src/download/output-path';
import { keptPartial, partialPaths, readPartialState } from '../src/download/partial-file';

const SHA = 'a'.repeat(64);

/** The files a download leaves on disk: its output path checks and its checkpoints, on a real file system. */
describe('a download on disk', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-partial-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('refuses an existing file (unless overwriting), a folder and a missing folder; a lone .partial is fine', async () => {
    const existing = join(dir, 'precious.txt');
    await writeFile(existing, 'precious');
    await expect(checkOutputPath(existing, false)).rejects.toBeInstanceOf(OutputExistsError);
    await expect(checkOutputPath(existing, true)).resolves.toBeUndefined();

    await mkdir(join(dir, 'folder'));
    await expect(checkOutputPath(join(dir, 'folder'), true)).rejects.toThrow(/is a folder/);
    await expect(checkOutputPath(join(dir, 'missing', 'x.bin'), false)).rejects.toThrow(/folder .*missing does not exist/);

    const resumable = join(dir, 'resumable.bin');
    await writeFile(partialPaths(resumable).data, 'half');
    await expect(checkOutputPath(resumable, false)).resolves.toBeUndefined();
  });

  it('checkpoints into a private sidecar, replaced whole, and reports what a later run resumes', async () => {
    const out = join(dir, 'film.bin');
    const file = await open(partialPaths(out).data, 'w');
    try {
      await file.write(Buffer.alloc(CHECKPOINT_BYTES + 10));
      const checkpoint = new Checkpointer(out, file, { sha256: SHA, file_size: 4 * CHECKPOINT_BYTES }, 0);
      await checkpoint.start();
      expect(await keptPartial(out)).toBeNull();

      checkpoint.progress(CHECKPOINT_BYTES + 10);
      await checkpoint.settled();
      expect(await readPartialState(out)).toEqual({ sha256: SHA, file_size: 4 * CHECKPOINT_BYTES, bytes: CHECKPOINT_BYTES + 10 });
      expect(await keptPartial(out)).toEqual({ path: partialPaths(out).data, bytes: CHECKPOINT_BYTES + 10, file_size: 4 * CHECKPOINT_BYTES });

      // Never backwards, and no temp file left behind.
      await checkpoint.save(5);
      expect((await readPartialState(out))?.bytes).toBe(CHECKPOINT_BYTES + 10);
      expect(existsSync(`${partialPaths(out).sidecar}.tmp`)).toBe(false);
      expect(statSync(partialPaths(out).sidecar).mode & 0o777).toBe(0o600);
    } finally {
      await file.close();
    }
  });

  it('does not trust a sidecar that claims more bytes than the data file holds', async () => {
    const out = join(dir, 'torn.bin');
    await writeFile(partialPaths(out).data, Buffer.alloc(100));
    await writeFile(partialPaths(out).sidecar, JSON.stringify({ sha256: SHA, file_size: 1000, bytes: 500 }));
    expect(await keptPartial(out)).toBeNull();
  });
});
