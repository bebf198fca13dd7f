import type { Command } from 'commander';
import { loadServedCatalogs, startChunker } from '@natster/chunker';
import { createLogger } from '@natster/nats';
import { withSession } from '../session';
import { catalogsDirOf, checkCatalogName } from './catalog/common';

/** `--threads`: worker threads that read and seal. */
export function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error('--threads must be a whole number from 1 to 256');
  return n;
}

/** `--catalog` may be given several times. */
const collect = (value: string, previous: string[] = []): string[] => [...previous, checkCatalogName(value)];

/**
 * `natster chunker`: reads, seals and sends the files of your catalogs when
 * someone downloads them. It takes only transfers of the catalogs it serves:
 * the `--catalog` names, or every catalog of the context whose folder this
 * host can read. `natster catalog serve` starts one; run more, here or on
 * other hosts that have the files, to share the load (queue group `chunkers`).
 * A chunker listens only for the content its copy of each catalog has, so a
 * stale or different copy on another host never takes a download it would fail.
 */
export function register(program: Command): void {
  program
    .command('chunker')
    .description('send the files of your served catalogs to downloaders, until Ctrl-C (`catalog serve` starts one; run more to share the load)')
    .option('--threads <n>', 'worker threads that read and seal (default: one per core)', parseThreads)
    .option('--catalog <name>', 'serve this catalog (repeat for more; default: every catalog whose folder this host can read)', collect)
    .option('--root <dir>', "read the --catalog's files from this folder (this host sees them at another path than the one the catalog was made from)")
    .action(async (flags: { threads?: number; catalog?: string[]; root?: string }, cmd: Command) => {
      if (flags.root !== undefined && flags.catalog?.length !== 1) throw new Error('--root needs exactly one --catalog: the catalog whose files are in that folder');
      await withSession(cmd, async ({ nc, context }) => {
        const logger = createLogger('chunker');
        const roots = flags.root !== undefined ? { [flags.catalog![0]!]: flags.root } : {};
        const catalogs = await loadServedCatalogs(catalogsDirOf(context), { names: flags.catalog ?? [], roots, logger });
        if (catalogs.names.length === 0) throw new Error(`no catalog of context ${context.name} has a folder this host can read: create one with \`natster catalog new\`, bring a copy with \`natster context import\`, or name one with --catalog`);
        const chunker = await startChunker({ nc, logger, catalogs, ...(flags.threads ? { threads: flags.threads } : {}) });
        const served = catalogs.current().map((c) => `${c.name} (revision ${c.revision}, ${c.files} files, content ${c.contentId.slice(0, 8)})`);
        process.stderr.write(`chunker ready for ${served.join(', ')}; it takes downloads only while its copy matches the catalog served (\`natster catalog serve\`); press Ctrl-C to stop\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
          // Started by `catalog serve`: stop with it, even when it was killed outright.
          // (unref: the channel alone must not keep this process running)
          if (process.channel) {
            process.channel.unref();
            process.once('disconnect', resolve);
          }
        });
        await chunker.stop();
      }, { longRunning: true });
    });
}
