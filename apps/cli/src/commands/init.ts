import type { Command } from 'commander';
import { credsFile, newAccountKey, newUserKey, userJwt } from '@natster/claims';
import { signup } from '@natster/client';
import { connectionOf, contextExists, loadContext, saveContext, writeAccountSeed, writeContextHubFile, writeUserCreds, type NatsterContext } from '@natster/context';
import { connectNatster } from '@natster/nats';
import { globalsOf } from '../globals';
import { printResult } from '../output';
import { checkAndRepair, renderCheck } from './doctor';
import { signupTarget } from './signup-target';
import { localFacts, renderFacts } from './whoami';

interface InitOptions {
  hub?: string;
  name?: string;
  bootstrapCreds?: string;
  invite?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('init')
    .description('create your account on a hub and a context that uses it')
    .option('--hub <url>', 'nats:// URL of the hub (default: the local hub)')
    .option('--name <display>', 'your display name')
    .option('--bootstrap-creds <path>', "the hub's public signup creds (default: the local hub's)")
    .option('--invite <line>', 'the invite line the hub’s owner sent you (`natster hub invite`): it carries the hub, its CA and portal')
    .option('--force', 'replace an existing context with a new account')
    .action(async (options: InitOptions, cmd: Command) => {
      const { context: name, json } = globalsOf(cmd);
      if ((await contextExists(name)) && !options.force) {
        const existing = await loadContext(name);
        // the same check and repair as `natster doctor`: init is where people go when their account stops working
        const check = await checkAndRepair(existing, options.bootstrapCreds);
        printResult(json, { ...localFacts(existing), created: false, repaired: check.repaired }, () =>
          `context '${name}' already exists (account ${existing.account} on ${existing.hub_url}); use --force to replace it with a new account\n${renderCheck(check)}`,
        );
        return;
      }
      const target = await signupTarget(options);
      const account = newAccountKey();
      const user = newUserKey();
      // The account seed stays here: the authority only ever sees a signature made with it.
      const caPath = target.caPem ? await writeContextHubFile(name, 'ca.pem', target.caPem) : undefined;
      // an invite's signup creds are kept (they are public): doctor needs them to repair an account away from the hub
      const bootstrapPath = 'bootstrapCreds' in target.bootstrap ? await writeContextHubFile(name, 'bootstrap.creds', target.bootstrap.bootstrapCreds) : undefined;
      const reply = await signup({
        ...target.bootstrap,
        url: target.url,
        ...(caPath ? { caFile: caPath } : {}),
        ...(target.invite ? { invite: target.invite } : {}),
        accountSeed: account.seed,
        ...(options.name ? { name: options.name } : {}),
      });
      const jwt = await userJwt({ name: options.name ?? name, user: user.publicKey }, account.seed);
      const context: NatsterContext = {
        name,
        hub_url: target.url,
        account: reply.account,
        user: user.publicKey,
        account_seed_path: await writeAccountSeed(account.publicKey, account.seed),
        creds_path: await writeUserCreds(name, credsFile(jwt, user.seed)),
        ...(options.name ? { display_name: options.name } : {}),
        created_at: new Date().toISOString(),
        ...(target.hubDir ? { hub_dir: target.hubDir } : {}),
        ...(caPath ? { ca_path: caPath } : {}),
        ...(bootstrapPath ? { bootstrap_creds_path: bootstrapPath } : {}),
        ...(target.portal ? { portal_url: target.portal.url, portal_xkey: target.portal.xkey } : {}),
      };
      // prove the new creds work before announcing success
      const nc = await connectNatster({ ...connectionOf(context), name: 'natster-init', failFast: true });
      await nc.close();
      await saveContext(context);

      const facts = localFacts(context);
      const flag = name === 'default' ? '' : ` --context ${name}`;
      printResult(json, { ...facts, created: true }, () =>
        [renderFacts({ ...facts }), '', 'Next:', `  natster whoami${flag}    show this context`, '  natster hub status    see what the hub runs'].join('\n'),
      );
    });
}
