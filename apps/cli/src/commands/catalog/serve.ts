import type { Command } from 'commander';
import { GlobalClient } from '@natster/client';
import { serveCatalogs } from '@natster/catalog';
import { createLogger } from '@natster/nats';
import { withSession } from '../../session';
import { parseThreads } from '../chunker';
import { catalogsDirOf, checkCatalogName } from './common';
import { startOwnChunker, type OwnChunker } from './own-chunker';

const say = (line: string) => process.stderr.write(`${line}\n`);

export function registerServe(catalog: Command): void {
  catalog
    .command('serve')
    .description('serve your catalogs (listings, and downloads through a chunker it starts) to the accounts you shared them with, until Ctrl-C')
    .argument('<names...>', 'one or more of your catalogs')
    .option('--no-chunker', 'do not start a chunker (run `natster chunker` yourself, here or on other hosts)')
    .option('--threads <n>', "worker threads of the chunker it starts (default: one per core)", parseThreads)
    .action(async (names: string[], flags: { chunker: boolean; threads?: number }, cmd: Command) => {
      await withSession(cmd, async ({ nc, context }) => {
        const logger = createLogger('catalog');
        const server = await serveCatalogs({
          nc,
          account: context.account,
          dir: catalogsDirOf(context),
          names: names.map(checkCatalogName),
          global: new GlobalClient(nc),
          logger,
          say,
        });
        let chunker: OwnChunker | null = null;
        try {
          // Downloads need a chunker; start one unless the owner runs their own.
          if (flags.chunker) chunker = await startOwnChunker(context.name, flags.threads, say, names);
          process.stderr.write(`serving ${names.join(', ')}; press Ctrl-C to stop\n`);
          const signal = await new Promise<string>((resolve) => {
            process.once('SIGINT', () => resolve('SIGINT'));
            process.once('SIGTERM', () => resolve('SIGTERM'));
          });
          logger.info('stopping', { signal });
        } finally {
          // Together, so the catalog is announced offline at once; chunker.stop() marks
          // the chunker's exit as expected (on Ctrl-C it got SIGINT too).
          await Promise.all([chunker?.stop(), server.stop()]);
        }
      }, { longRunning: true });
    });
}
