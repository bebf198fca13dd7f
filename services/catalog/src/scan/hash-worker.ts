import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export interface HashTask {
  /** Absolute path of a regular file. */
  path: string;
}

export interface HashResult {
  /** SHA-256, lower-case hex. */
  hash: string;
  /** Bytes actually read (the file may have changed since it was listed). */
  bytes: number;
}

/** Runs in a piscina worker: streams one file through SHA-256 off the main thread. */
export default async function hashFile(task: HashTask): Promise<HashResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(task.path, { highWaterMark: 1024 * 1024 })) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
  }
  return { hash: hash.digest('hex'), bytes };
}
