import type { Command } from 'commander';
import { exportContext, importContext, loadContext, readContextExport, writeContextExport, type NatsterContext } from '@natster/context';
import { hubLayout, readHubInfo } from '@natster/hub';
import { globalsOf } from '../globals';
import { printResult } from '../output';

/**
 * The URL another host dials: a context made next to a public hub holds the
 * hub's loopback URL (`tls://127.0.0.1:…`), useless elsewhere, so the export
 * carries the hub's first public URL instead.
 */
async function portableHubUrl(context: NatsterContext, flag: string | undefined): Promise<string> {
  if (flag) return flag;
  if (!context.hub_dir) return context.hub_url;
  const info = await readHubInfo(hubLayout(context.hub_dir).info).catch(() => null);
  const published = info?.tls?.public_urls[0];
  return info && published && info.url === context.hub_url ? published : context.hub_url;
}

/**
 * `natster context export|import`: your own account on another host of yours
 * (a NAS that runs `natster chunker` next to the files): one 0600 file with
 * the context, its creds, the hub's CA and the catalog files; never the
 * account seed. Importing it again brings the catalogs up to date.
 */
export function register(program: Command): void {
  const group = program.command('context').description('move your context (account creds, hub CA, catalogs) to another host of yours');

  group
    .command('export')
    .description('write the context, its creds, the hub CA and its catalogs to one file (mode 0600) for another host of yours')
    .argument('[name]', 'the context (default: --context, else default)')
    .requiredOption('--out <file>', 'where to write it (it holds your creds: move it like a password, delete it once imported)')
    .option('--hub-url <url>', 'the hub URL the other host dials (default: the context’s, or the hub’s public URL when the context was made next to it)')
    .action(async (name: string | undefined, flags: { out: string; hubUrl?: string }, cmd: Command) => {
      const options = globalsOf(cmd);
      const context = await loadContext(name ?? options.context);
      const exported = await exportContext(context.name, { hubUrl: await portableHubUrl(context, flags.hubUrl) });
      await writeContextExport(flags.out, exported);
      const facts = { file: flags.out, context: context.name, account: context.account, hub_url: exported.context.hub_url, ca: exported.ca_pem !== undefined, catalogs: exported.catalogs.map((c) => c.name) };
      printResult(options.json, facts, (f) =>
        [
          `wrote ${f.file} (mode 0600): context ${f.context}, its creds${f.ca ? ', the hub CA' : ''} and ${f.catalogs.length} catalog(s) (${f.catalogs.join(', ') || 'none'}); it dials ${f.hub_url}`,
          'It holds your creds: copy it like a password, then on the other host run `natster context import FILE` and delete the file.',
        ].join('\n'),
      );
    });

  group
    .command('import')
    .description('install a file from `natster context export` here (again later, to bring the catalogs up to date)')
    .argument('<file>', 'the exported file')
    .option('--as <name>', 'the context name here (default: the exported name)')
    .option('--force', 'replace a context of the same account that has other creds')
    .action(async (file: string, flags: { as?: string; force?: boolean }, cmd: Command) => {
      const options = globalsOf(cmd);
      const { context, catalogs } = await importContext(await readContextExport(file), { ...(flags.as ? { name: flags.as } : {}), force: flags.force === true });
      const facts = { context: context.name, account: context.account, hub_url: context.hub_url, catalogs };
      printResult(options.json, facts, (f) =>
        [
          `context ${f.context} (account ${f.account} on ${f.hub_url}) with ${f.catalogs.length} catalog(s): ${f.catalogs.join(', ') || 'none'}`,
          `Next: \`natster${f.context === 'default' ? '' : ` --context ${f.context}`} chunker --catalog NAME [--root DIR]\` where the files are. You can delete ${file} now.`,
        ].join('\n'),
      );
    });
}
