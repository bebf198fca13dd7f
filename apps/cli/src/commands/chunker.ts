import type { Command } from 'commander';
import { startChunker } from '@natster/chunker';
import { createLogger } from '@natster/nats';
import { withSession } from '../session';

/** `--threads`: worker threads that read and seal. */
export function parseThreads(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new Error('--threads must be a whole number from 1 to 256');
  return n;
}

/**
 * `natster chunker`: reads, seals and sends the files of your catalogs when
 * someone downloads them. `natster catalog serve` starts one; run more, here
 * or on other hosts, to share the load (queue group `chunkers`).
 */
export function register(program: Command): void {
  program
    .command('chunker')
    .description('send the files of your served catalogs to downloaders, until Ctrl-C (`catalog serve` starts one; run more to share the load)')
    .option('--threads <n>', 'worker threads that read and seal (default: one per core)', parseThreads)
    .action(async (flags: { threads?: number }, cmd: Command) => {
      await withSession(cmd, async ({ nc }) => {
        const chunker = await startChunker({ nc, logger: createLogger('chunker'), ...(flags.threads ? { threads: flags.threads } : {}) });
        process.stderr.write('chunker ready; press Ctrl-C to stop\n');
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
      });
    });
}
