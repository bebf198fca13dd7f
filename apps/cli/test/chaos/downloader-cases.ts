import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadLosses, inFlight, isClear, lastError, outPath, startDownload, type ChaosCase } from './chaos-case';
import { MiB, sizeOf, sleep, waitUntil, type ChaosWorld } from './world';

const STOPPED_MS = 15_000;

export const stoppedDownloader: ChaosCase = {
  name: 'SIGSTOP the downloader for 15 s, then SIGCONT',
  quick: true,
  async run(world) {
    const out = outPath(world, 'stopped.bin');
    const download = startDownload(world, 'film.bin', out);
    await inFlight(out);
    process.kill(download.child.pid!, 'SIGSTOP');
    await sleep(STOPPED_MS);
    const atStop = sizeOf(`${out}.partial`);
    const contAt = Date.now();
    process.kill(download.child.pid!, 'SIGCONT');
    const movedAt = await waitUntil('the download moving again', 60_000, () => sizeOf(`${out}.partial`) > atStop || existsSync(out), 50);
    const lost = await downloadLosses(world, download, 'film.bin', out);
    return { lost, recoveryMs: movedAt - contAt, boundMs: 15_000, notes: [`data flowed again ${movedAt - contAt} ms after SIGCONT`] };
  },
};

/**
 * A disk that fills up: a small tmpfs when we may mount one (root), else a
 * file-size limit on the downloader (`prlimit --fsize`), which fails writes
 * the same way. Freeing space is a bigger tmpfs, or no limit.
 */
interface SmallDisk {
  dir: string;
  /** Wraps the downloader (the ulimit variant). */
  prefix: string[];
  free(): void;
  release(): void;
}

// room for a checkpoint or two of the paced download (every 8 MiB or 2 s), not for the file
const DISK_BYTES = 12 * MiB;

async function smallDisk(world: ChaosWorld): Promise<SmallDisk> {
  const dir = join(world.tmp, 'small-disk');
  await mkdir(dir, { recursive: true });
  if (process.getuid?.() !== 0) {
    let limited = true;
    return { dir, get prefix() { return limited ? ['prlimit', `--fsize=${DISK_BYTES}`] : []; }, free: () => void (limited = false), release: () => undefined };
  }
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', dir]);
  return {
    dir,
    prefix: [],
    free: () => execFileSync('mount', ['-o', `remount,size=${8 * DISK_BYTES}`, dir]),
    release: () => execFileSync('umount', [dir]),
  };
}

export const diskFull: ChaosCase = {
  name: 'the download disk fills up, then space is freed',
  quick: true,
  async run(world) {
    const disk = await smallDisk(world);
    try {
      const out = join(disk.dir, 'film.bin');
      const args = ['catalog', 'download', 'films', 'film.bin', out, '--limit-rate', '4M', '--json'];
      const full = await world.cli(args, world.friend, { prefix: disk.prefix, timeoutMs: 120_000 });
      const lost: string[] = [];
      const kept = sizeOf(`${out}.partial`);
      if (full.code === 0) lost.push('the download claimed success on a full disk');
      else if (!isClear(full.stderr) || !/space|full|too large/i.test(full.stderr) || !/partial/i.test(full.stderr)) {
        lost.push(`the message does not say the disk is full and the partial file is kept: ${lastError(full.stderr)}`);
      }
      if (kept === 0) lost.push('the partial file was not kept');
      const notes = [`full disk: "${lastError(full.stderr)}"; ${kept} bytes kept`];
      disk.free();
      const startedAt = Date.now();
      const again = await world.cli(args, world.friend, { prefix: disk.prefix, timeoutMs: 120_000 });
      if (again.code !== 0) lost.push(`the download after freeing space failed: ${lastError(again.stderr)}`);
      else {
        const resumedFrom = (JSON.parse(again.stdout) as { resumed_from: number }).resumed_from;
        if (kept > 0 && resumedFrom === 0) lost.push('the second run started over instead of resuming');
        if (!(await world.verifies(out, 'film.bin'))) lost.push('the downloaded file does not verify');
        notes.push(`resumed from ${resumedFrom} bytes`);
      }
      return { lost, recoveryMs: Date.now() - startedAt, boundMs: null, notes };
    } finally {
      disk.release();
    }
  },
};
