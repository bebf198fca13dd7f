import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_GIVE_UP_AFTER_MS, GaveUpError, OutputExistsError, downloadToFile, keptPartial, type DownloadEvent, type TestFaults } from '@natster/client';
import { Codes, NatsterError } from '@natster/protocol';
import { createProgress, formatBytes, type Progress } from '../../progress';
import { printResult, renderTable } from '../../output';
import { withSession } from '../../session';
import { formatDurationFlag, parseByteRate, parseDuration } from '../../units';

interface DownloadFlags {
  resume: boolean;
  force?: boolean;
  giveUpAfter: number;
  limitRate?: number;
}

/** Test-only fault switches, so end-to-end tests can prove retransmission through the CLI. */
function testFaults(): TestFaults | undefined {
  const dropRate = Number(process.env.NATSTER_TEST_DROP_RATE ?? '');
  const corrupt = Number(process.env.NATSTER_TEST_CORRUPT_CHUNK ?? '');
  const faults: TestFaults = {
    ...(dropRate > 0 && dropRate < 1 ? { dropRate } : {}),
    ...(Number.isInteger(corrupt) && process.env.NATSTER_TEST_CORRUPT_CHUNK ? { corruptChunk: corrupt } : {}),
  };
  return Object.keys(faults).length > 0 ? faults : undefined;
}

/** What the user hears while the download waits for the hub or the owner's server. */
function narrate(progress: Progress, catalog: string, giveUpAfter: string): (event: DownloadEvent) => void {
  return (event) => {
    if (event.type === 'hub-lost') progress.note(`the download resumes by itself once the hub is back (it gives up after ${giveUpAfter} without data)`);
    else if (event.type === 'owner-gone') {
      progress.note(`the owner's catalog server for ${catalog} went away (${event.reason}); retrying until it is back (gives up after ${giveUpAfter} without data)`);
    } else if (event.type === 'resumed') progress.note(`resumed at ${formatBytes(event.offset)}`);
  };
}

/** No room left for the output: out of space, over a quota or over the file-size limit. */
const isDiskFull = (error: unknown): boolean => ['ENOSPC', 'EDQUOT', 'EFBIG'].includes((error as NodeJS.ErrnoException | null)?.code ?? '');

/** Turns failures into what a person should do next, naming the partial file only when there is one. */
async function explain(error: unknown, catalog: string, target: string): Promise<unknown> {
  if (error instanceof OutputExistsError) {
    return new NatsterError(error.code, `${error.path} already exists; pass --force to overwrite it, or give another output path`, { cause: error });
  }
  const kept = await keptPartial(target);
  const partial = kept ? `The partial file (${formatBytes(kept.bytes)} of ${formatBytes(kept.file_size)}) was kept at ${kept.path}` : null;
  if (isDiskFull(error)) {
    return new NatsterError(Codes.tooLarge, `the disk is full (${(error as Error).message}). Free some space, then ${partial ? `run the same command again. ${partial}; the command resumes from there.` : 'run the same command again.'}`, { cause: error });
  }
  if (!(error instanceof NatsterError)) return error;
  if (error instanceof GaveUpError) {
    return new NatsterError(error.code, `gave up: ${error.message}. ${partial ? `${partial}; run the same command again to resume.` : 'Run the same command again once it is back.'}`, { cause: error });
  }
  if (error.code === Codes.unavailable) {
    const again = partial ? `then run this command again. ${partial}; the command resumes from there.` : 'then run this command again.';
    return new NatsterError(error.code, `${error.message}. If you have not imported catalog ${catalog}, see \`natster catalog ls\`; otherwise ask its owner to run \`natster catalog serve ${catalog}\`, ${again}`, { cause: error });
  }
  if ((error.code === Codes.gone || error.code === Codes.forbidden) && partial) {
    return new NatsterError(error.code, `${error.message}. ${partial}; if the owner shares the catalog again, run this command again to resume.`, { cause: error });
  }
  return error;
}

export function registerDownload(catalog: Command): void {
  catalog
    .command('download')
    .description(
      'download a file of a catalog (by SHA-256 or path) and verify it. If the hub restarts or the owner’s server goes away, it waits and resumes by itself; if interrupted, the same command resumes',
    )
    .argument('<name>', 'catalog name')
    .argument('<hash-or-path>', "the file's SHA-256 or its path in the catalog")
    .argument('[out]', 'where to write the file (default: the file name, in the current folder)')
    .option('--no-resume', 'start over instead of resuming a partial download')
    .option('--force', 'overwrite the output file if it already exists')
    .addOption(
      new Option('--give-up-after <duration>', "stop waiting for the hub or the owner's server after this long without data, e.g. 90s, 10m, 2h; the partial file is kept")
        .argParser((value) => parseDuration(value, '--give-up-after'))
        .default(DEFAULT_GIVE_UP_AFTER_MS, formatDurationFlag(DEFAULT_GIVE_UP_AFTER_MS)),
    )
    .option('--limit-rate <rate>', 'receive at most this many bytes a second, e.g. 500K, 2M', (value) => parseByteRate(value, '--limit-rate'))
    .action(async (name: string, hashOrPath: string, out: string | undefined, flags: DownloadFlags, cmd: Command) => {
      await withSession(
        cmd,
        async ({ nc, options }) => {
          const target = resolve(out ?? basename(hashOrPath));
          const progress = createProgress({ label: `downloading ${basename(target)}`, json: options.json });
          const abort = new AbortController();
          const onSignal = () => abort.abort(new NatsterError(Codes.badRequest, 'download interrupted; run the same command again to resume'));
          process.once('SIGINT', onSignal);
          let reported = 0;
          try {
            const faults = testFaults();
            const result = await downloadToFile(nc, {
              catalog: name,
              hashOrPath,
              out: target,
              resume: flags.resume,
              overwrite: flags.force === true,
              giveUpAfterMs: flags.giveUpAfter,
              ...(flags.limitRate ? { maxBytesPerSecond: flags.limitRate } : {}),
              signal: abort.signal,
              ...(faults ? { faults } : {}),
              onEvent: narrate(progress, name, formatDurationFlag(flags.giveUpAfter)),
              onProgress: (p) => {
                progress.setTotals({ bytes: p.total });
                progress.add(p.bytes - reported);
                reported = p.bytes;
              },
            });
            progress.finish();
            printResult(
              options.json,
              { path: result.path, bytes: result.info.file_size, sha256: result.info.sha256, mime_type: result.info.mime_type, resumed_from: result.resumedFrom, resumes: result.stats.resumes },
              (r) =>
                renderTable({
                  title: 'Download complete',
                  rows: [
                    ['File', r.path],
                    ['Size', formatBytes(r.bytes)],
                    ['SHA-256', `${r.sha256} (verified)`],
                    ...(r.resumed_from > 0 ? [['Resumed from', formatBytes(r.resumed_from)]] : []),
                  ],
                }),
            );
          } catch (error) {
            throw await explain(error, name, target);
          } finally {
            process.off('SIGINT', onSignal);
          }
        },
        { longRunning: true },
      );
    });
}
