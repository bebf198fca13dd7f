import type { Command } from 'commander';
import { GlobalClient } from '@natster/client';
import { serveCatalogs } from '@natster/catalog';
import { createLogger } from '@natster/nats';
import { withSession } from '../../session';
import { catalogsDirOf, checkCatalogName } from './common';

export function registerServe(catalog: Command): void {
  catalog
    .command('serve')
    .description('serve your catalogs to the accounts you shared them with, until Ctrl-C')
    .argument('<names...>', 'one or more of your catalogs')
    .action(async (names: string[], _flags: unknown, cmd: Command) => {
      await withSession(cmd, async ({ nc, context }) => {
        const logger = createLogger('catalog');
        const server = await serveCatalogs({
          nc,
          account: context.account,
          dir: catalogsDirOf(context),
          names: names.map(checkCatalogName),
          global: new GlobalClient(nc),
          logger,
        });
        process.stderr.write(`serving ${names.join(', ')}; press Ctrl-C to stop\n`);
        const signal = await new Promise<string>((resolve) => {
          process.once('SIGINT', () => resolve('SIGINT'));
          process.once('SIGTERM', () => resolve('SIGTERM'));
        });
        logger.info('stopping', { signal });
        await server.stop();
      });
    });
}
