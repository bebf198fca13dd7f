import type { Command } from 'commander';
import { startChunker } from '@natster/chunker';
import { createLogger } from '@natster/nats';
import { withSession } from '../session';

/**
 * `natster chunker`: reads, seals and sends the files of your catalogs when
 * someone downloads them. Run it next to `natster catalog serve` (several
 * chunkers share the load).
 */
export function register(program: Command): void {
  program
    .command('chunker')
    .description('send the files of your served catalogs to downloaders, until Ctrl-C (run it next to `natster catalog serve`)')
    .option('--threads <n>', 'worker threads that read and seal (default: one per core)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error('--threads must be a whole number from 1 to 256');
      return n;
    })
    .action(async (flags: { threads?: number }, cmd: Command) => {
      await withSession(cmd, async ({ nc }) => {
        const chunker = await startChunker({ nc, logger: createLogger('chunker'), ...(flags.threads ? { threads: flags.threads } : {}) });
        process.stderr.write('chunker ready; press Ctrl-C to stop\n');
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await chunker.stop();
      });
    });
}
