import { closeSync, openSync, readSync } from 'node:fs';
import { Piscina } from 'piscina';
import { PLAINTEXT_OFFSET, SEAL_OVERHEAD, sealChunk } from '@natster/crypto';
import type { SealTask } from './seal-pool';

/**
 * Runs in a piscina worker: reads one file range straight into the buffer
 * it will be sealed in, seals it in place and hands the buffer back without
 * copying it.
 */
export default function sealRange(task: SealTask): Uint8Array {
  const buffer = new Uint8Array(SEAL_OVERHEAD + task.length);
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
  sealChunk({ transferId: task.transferId, peer: task.peer, secret: task.secret }, task.index, buffer, task.salt);
  return Piscina.move(buffer) as unknown as Uint8Array;
}
