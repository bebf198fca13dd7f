import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { downloadToFile, type TestFaults } from '@natster/client';
import { Codes, NatsterError } from '@natster/protocol';
import { createProgress, formatBytes } from '../../progress';
import { printResult, renderTable } from '../../output';
import { withSession } from '../../session';

interface DownloadFlags {
  resume: boolean;
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

/** Turns protocol failures into what a person should do next. */
function explain(error: unknown, catalog: string): unknown {
  if (!(error instanceof NatsterError)) return error;
  if (error.code === Codes.unavailable) {
    return new NatsterError(error.code, `${error.message}. If you have not imported catalog ${catalog}, see \`natster catalog ls\`; otherwise ask its owner to run \`natster catalog serve ${catalog}\`, then run this command again (it resumes).`, { cause: error });
  }
  if (error.code === Codes.gone || error.code === Codes.forbidden) {
    return new NatsterError(error.code, `${error.message}. The partial file was kept; if the owner shares the catalog again, run this command again to resume.`, { cause: error });
  }
  return error;
}

export function registerDownload(catalog: Command): void {
  catalog
    .command('download')
    .description('download a file of a catalog (by SHA-256 or path), verify it, and resume if interrupted')
    .argument('<name>', 'catalog name')
    .argument('<hash-or-path>', "the file's SHA-256 or its path in the catalog")
    .argument('[out]', 'where to write the file (default: the file name, in the current folder)')
    .option('--no-resume', 'start over instead of resuming a partial download')
    .action(async (name: string, hashOrPath: string, out: string | undefined, flags: DownloadFlags, cmd: Command) => {
      await withSession(cmd, async ({ nc, options }) => {
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
            signal: abort.signal,
            ...(faults ? { faults } : {}),
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
          throw explain(error, name);
        } finally {
          process.off('SIGINT', onSignal);
        }
      });
    });
}
