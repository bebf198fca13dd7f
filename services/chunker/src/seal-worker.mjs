// A piscina worker: reads one file range straight into the slot it is
// sealed in, seals it in place and hands the slot back (transferred, not
// copied); the main thread publishes from it, so no chunk is copied or
// allocated on the way.
// Plain JavaScript and no inherited `--import tsx`, so a worker costs ~18 MB
// instead of ~50 MB (a TypeScript loader is a thread of its own).
import { closeSync, openSync, readSync } from 'node:fs';
import { move } from 'piscina';
import { PLAINTEXT_OFFSET, SEAL_OVERHEAD, sealChunkInPlace } from '@natster/crypto/seal-core';

/**
 * @param {import('./seal-pool').SealTask & { slot: ArrayBuffer }} task
 * @returns {ArrayBuffer} the slot, with the sealed chunk at its start
 */
export default function sealRange(task) {
  const buffer = new Uint8Array(task.slot, 0, SEAL_OVERHEAD + task.length);
  const fd = openSync(task.path, 'r');
  try {
    let done = 0;
    while (done < task.length) {
      const read = readSync(fd, buffer, PLAINTEXT_OFFSET + done, task.length - done, task.position + done);
      if (read === 0) throw new Error(`${task.path} ended at byte ${task.position + done}; it changed during the transfer`);
      done += read;
    }
  } finally {
    closeSync(fd);
  }
  sealChunkInPlace(buffer, task.salt, task.index, task.key);
  return move(task.slot);
}
