import { createHash, type Hash } from 'node:crypto';
import { createReadStream, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { Codes, NatsterError } from '@natster/protocol';
import type { NatsConnection } from '@natster/nats';
import { Checkpointer } from './checkpoint';
import { openDownload, type Download, type DownloadInfo, type DownloadOptions } from './open-download';
import { checkOutputPath } from './output-path';
import { partialPaths, removePartial, usablePartial } from './partial-file';
import { ratePacer } from './rate-limit';

export interface FileDownloadOptions extends Omit<DownloadOptions, 'offset' | 'length'> {
  /** Where the file goes; it is written to `OUT.partial` and renamed once verified. */
  out: string;
  /** Continue a partial download of the same file (default true). */
  resume?: boolean;
  /** Replace an existing file at `out` (default false: refused before anything is transferred). */
  overwrite?: boolean;
  /** Receive at most this many bytes a second (default: as fast as it comes). */
  maxBytesPerSecond?: number;
}

export interface FileDownloadResult {
  info: DownloadInfo;
  path: string;
  /** Bytes that were already on disk from an earlier attempt. */
  resumedFrom: number;
  stats: Download['stats'];
}

/**
 * Downloads a whole file to `out`: checks the output path first, writes
 * `out.partial` with a sidecar that checkpoints the verified prefix, resumes
 * from it, verifies the SHA-256 of the whole file and renames on success.
 */
export async function downloadToFile(nc: NatsConnection, options: FileDownloadOptions): Promise<FileDownloadResult> {
  await checkOutputPath(options.out, options.overwrite ?? false);
  const paths = partialPaths(options.out);
  const previous = options.resume === false ? null : await usablePartial(options.out);
  let prefix = previous?.bytes ?? 0;
  let download = await openDownload(nc, { ...options, offset: prefix }).catch((error: unknown) => {
    // A partial download longer than the owner's file now: start over.
    if (prefix > 0 && error instanceof NatsterError && error.code === Codes.badRequest) return null;
    throw error;
  });
  if (prefix > 0 && download && download.info.sha256 !== previous?.sha256) {
    // The owner's file changed since the partial download: start over.
    download.cancel();
    download = null;
  }
  if (!download) {
    download = await openDownload(nc, { ...options, offset: 0 });
    prefix = 0;
  }
  const { info } = download;
  const hash = createHash('sha256');
  let file: FileHandle;
  try {
    if (prefix === 0) await removePartial(options.out);
    else await hashPrefix(paths.data, prefix, hash);
    file = await open(paths.data, prefix > 0 ? 'r+' : 'w', 0o600);
  } catch (error) {
    download.cancel();
    throw error;
  }
  const checkpoint = new Checkpointer(options.out, file, { sha256: info.sha256, file_size: info.file_size }, prefix);
  const pace = ratePacer(options.maxBytesPerSecond, options.signal);
  let position = prefix;
  try {
    // Only when resuming: truncating to 0 makes ext4 flush the whole file on close.
    if (prefix > 0) await file.truncate(prefix);
    await checkpoint.start();
    for await (const chunk of download.chunks) {
      writeFully(file, chunk, position);
      hash.update(chunk);
      position += chunk.length;
      checkpoint.progress(position);
      await pace(chunk.length);
    }
  } catch (error) {
    download.cancel();
    await checkpoint.save(position).catch(() => undefined);
    throw error;
  } finally {
    await checkpoint.settled();
    await file.close();
  }
  const actual = hash.digest('hex');
  if (actual !== info.sha256) {
    await removePartial(options.out);
    throw new NatsterError(Codes.conflict, `the downloaded file's SHA-256 (${actual}) does not match the catalog's (${info.sha256}); the owner may need to rescan the catalog`);
  }
  await rename(paths.data, options.out);
  await rm(paths.sidecar, { force: true });
  return { info, path: options.out, resumedFrom: prefix, stats: download.stats };
}

async function hashPrefix(path: string, bytes: number, hash: Hash): Promise<void> {
  if (bytes === 0) return;
  for await (const piece of createReadStream(path, { start: 0, end: bytes - 1 })) hash.update(piece as Buffer);
}

/**
 * Synchronous on purpose: a page-cache write of one chunk takes well under a
 * millisecond, and skipping the thread-pool round trip and its promise cut
 * the receiver's CPU per byte measurably (docs/benchmarks.md).
 */
function writeFully(file: FileHandle, chunk: Uint8Array, position: number): void {
  let done = 0;
  while (done < chunk.length) done += writeSync(file.fd, chunk, done, chunk.length - done, position + done);
}
