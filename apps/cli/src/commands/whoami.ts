import type { Command } from 'commander';
import { GlobalClient } from '@natster/client';
import { connectionOf, loadContext, type NatsterContext } from '@natster/context';
import { connectNatster } from '@natster/nats';
import { globalsOf } from '../globals';
import { printResult, renderTable } from '../output';

/** What whoami reports; the JSON keys are stable for scripts. */
export interface WhoamiFacts {
  context: string;
  account: string;
  display_name: string | null;
  hub_url: string;
  creds_path: string;
  created_at: string;
}

/** What the global service knows about the account; null when it cannot be reached (whoami still works offline). */
export interface GlobalFacts {
  initialized_at: string | null;
  portal_bound: boolean | null;
}

const LABELS: Record<keyof WhoamiFacts | keyof GlobalFacts, string> = {
  context: 'Context',
  account: 'Account',
  display_name: 'Display name',
  hub_url: 'Hub',
  creds_path: 'Creds',
  created_at: 'Created',
  initialized_at: 'Initialized',
  portal_bound: 'Portal',
};

export function localFacts(context: NatsterContext): WhoamiFacts {
  return {
    context: context.name,
    account: context.account,
    display_name: context.display_name ?? null,
    hub_url: context.hub_url,
    creds_path: context.creds_path,
    created_at: context.created_at,
  };
}

const GLOBAL_TIMEOUT_MS = 2000;

export async function globalFacts(context: NatsterContext): Promise<GlobalFacts> {
  try {
    const nc = await connectNatster({ ...connectionOf(context), name: 'natster-cli whoami', failFast: true });
    try {
      const me = await new GlobalClient(nc, GLOBAL_TIMEOUT_MS).whoami();
      return { initialized_at: me.initialized_at, portal_bound: me.portal_bound };
    } finally {
      await nc.close();
    }
  } catch {
    return { initialized_at: null, portal_bound: null };
  }
}

const portalText = (bound: boolean | null): string | null => (bound === null ? null : bound ? 'bound' : 'not bound');

/** Renders any facts object as the whoami table; unknown keys print under their own name. */
export function renderFacts(facts: Record<string, string | null>, labels: Record<string, string> = LABELS): string {
  return renderTable({ title: 'Natster Context', rows: Object.entries(facts).map(([key, value]) => [labels[key] ?? key, value ?? '-']) });
}

export function register(program: Command): void {
  program
    .command('whoami')
    .description('show the account and hub of the current context')
    .action(async (_options: unknown, cmd: Command) => {
      const { context, json } = globalsOf(cmd);
      const local = await loadContext(context);
      const facts = { ...localFacts(local), ...(await globalFacts(local)) };
      printResult(json, facts, (f) => renderFacts({ ...f, portal_bound: portalText(f.portal_bound) }));
    });
}
