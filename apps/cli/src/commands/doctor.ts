import type { Command } from 'commander';
import { AccountsClient, signup } from '@natster/client';
import { connectionOf, loadContext, readAccountSeed, type NatsterContext } from '@natster/context';
import { HubAccounts, credsPath, hubLayout } from '@natster/hub';
import { connectNatster } from '@natster/nats';
import { Codes, NatsterError, type AccountClaimsReply, type ImportProblem } from '@natster/protocol';
import { globalsOf } from '../globals';
import { printResult, renderTable } from '../output';

/** What `natster doctor` (and `init` on an existing context) found and did. */
export interface AccountCheck {
  account: string;
  /** What was wrong with the account's imports before. */
  damaged: ImportProblem[];
  /** What the authority re-signed. */
  repaired: ImportProblem[];
  /**
   * How the authority was reached for the repair: through the account's own
   * `natster.accounts` import, or (that import itself lost) through signup,
   * proving the account seed as `natster init` does. Null when nothing needed repair.
   */
  via: 'accounts' | 'signup' | null;
}

/** A missing import answers "no responders" at once; a hub whose authority is down, after this. */
const CHECK_TIMEOUT_MS = 5_000;

/** The authority's view of the account through its own import; null when that path does not answer. */
async function claimsOf(context: NatsterContext): Promise<AccountClaimsReply | null> {
  const nc = await connectNatster({ ...connectionOf(context), name: 'natster-doctor', failFast: true });
  try {
    return await new AccountsClient(nc, CHECK_TIMEOUT_MS).get();
  } catch (err) {
    if (err instanceof NatsterError && err.code === Codes.unavailable) return null;
    throw err;
  } finally {
    await nc.close();
  }
}

async function repairThroughAccounts(context: NatsterContext): Promise<ImportProblem[]> {
  const nc = await connectNatster({ ...connectionOf(context), name: 'natster-doctor', failFast: true });
  try {
    return (await new AccountsClient(nc).repair()).repaired;
  } finally {
    await nc.close();
  }
}

/** Signup again with the account's own seed: the authority restores the standard imports of an existing account. */
async function repairThroughSignup(context: NatsterContext, bootstrapCreds: string | undefined): Promise<ImportProblem[]> {
  const bootstrapCredsPath = bootstrapCreds ?? context.bootstrap_creds_path ?? (context.hub_dir ? credsPath(hubLayout(context.hub_dir), HubAccounts.bootstrap) : undefined);
  if (!bootstrapCredsPath) {
    throw new NatsterError(
      Codes.unavailable,
      `the account authority does not answer through your account (its import may be lost): run \`natster doctor --bootstrap-creds <BOOTSTRAP.creds from the hub's operator>\`, or check the hub with its operator`,
    );
  }
  const reply = await signup({ bootstrapCredsPath, url: context.hub_url, ...(context.ca_path ? { caFile: context.ca_path } : {}), accountSeed: await readAccountSeed(context) });
  return reply.repaired ?? [];
}

/** Checks the account's standard imports and has the authority re-sign whatever is damaged. */
export async function checkAndRepair(context: NatsterContext, bootstrapCreds?: string): Promise<AccountCheck> {
  const before = await claimsOf(context);
  if (before && before.damaged.length === 0) return { account: context.account, damaged: [], repaired: [], via: null };
  const via = before ? 'accounts' : 'signup';
  const repaired = before ? await repairThroughAccounts(context) : await repairThroughSignup(context, bootstrapCreds);
  const after = await claimsOf(context);
  if (!after) throw new NatsterError(Codes.unavailable, 'the account authority still does not answer through your account: is it running (`natster hub status`)?');
  if (after.damaged.length > 0) {
    throw new NatsterError(Codes.internal, `the repair did not take: still damaged: ${describeProblems(after.damaged)}; ask the hub's operator to check the authority's log`);
  }
  return { account: context.account, damaged: before?.damaged ?? repaired, repaired, via };
}

const LABELS: Record<string, string> = {
  global: 'the global service (natster.global)',
  'global-events': 'the live event feed (natster.global-events)',
  accounts: 'the account authority (natster.accounts)',
};
const label = (p: ImportProblem) => LABELS[p.import] ?? (p.import.startsWith('media:') ? `the media stream of catalog ${p.import.slice('media:'.length)}` : p.import);
export const describeProblems = (problems: readonly ImportProblem[]): string => problems.map((p) => `${label(p)} ${p.problem}`).join(', ');

/** For people: one line when healthy, else a table of what was repaired. */
export function renderCheck(check: AccountCheck): string {
  if (check.repaired.length === 0) return `Account ${check.account}: imports of the global service, event feed and authority are intact.`;
  return renderTable({ title: `Repaired account ${check.account}`, head: ['Import', 'Was', 'Now'], rows: check.repaired.map((p) => [label(p), p.problem, 'restored']) });
}

export function register(program: Command): void {
  program
    .command('doctor')
    .description("check your account's imports of the hub's services and have the authority repair them if damaged")
    .option('--bootstrap-creds <path>', "the hub's public signup creds, to reach the authority when your account lost its import of it (default: the ones your invite carried, else the local hub's)")
    .action(async (flags: { bootstrapCreds?: string }, cmd: Command) => {
      const { context: name, json } = globalsOf(cmd);
      const check = await checkAndRepair(await loadContext(name), flags.bootstrapCreds);
      printResult(json, check, renderCheck);
    });
}
