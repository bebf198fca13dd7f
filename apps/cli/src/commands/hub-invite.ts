import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { openInviteAdmin, type InviteAdmin, type InviteRecord, type MintOptions } from '@natster/accounts';
import { parseCreds } from '@natster/claims';
import { encodeInviteLine } from '@natster/client';
import { HubAccounts, credsPath, hubLayout, readHubInfo, type HubOptions } from '@natster/hub';
import { globalsOf } from '../globals';
import { hubDir } from '../hub-dir';
import { printJson, printResult, renderTable } from '../output';
import { terminalQr } from '../qr';
import { parseDuration } from '../units';

/** `hub up --open-signup` / `--invite-only`. */
export interface SignupFlags {
  openSignup?: boolean;
  inviteOnly?: boolean;
}

export function signupChoice(flags: SignupFlags): Pick<HubOptions, 'signup'> {
  if (flags.openSignup && flags.inviteOnly) throw new Error('choose one of --open-signup and --invite-only');
  return flags.openSignup ? { signup: 'open' } : flags.inviteOnly ? { signup: 'invite' } : {};
}

interface InviteOptions {
  uses: string;
  expires: string;
  note?: string;
  qr?: boolean;
  revoke?: string;
}

const MAX_USES = 10_000;
const MAX_NOTE = 200;

function mintOptions(options: InviteOptions): MintOptions {
  const uses = Number(options.uses);
  if (!Number.isInteger(uses) || uses < 1 || uses > MAX_USES) throw new Error(`--uses takes a whole number from 1 to ${MAX_USES} (got "${options.uses}")`);
  if (options.note !== undefined && options.note.length > MAX_NOTE) throw new Error(`--note takes at most ${MAX_NOTE} characters`);
  return { uses, expiresInMs: parseDuration(options.expires, '--expires'), ...(options.note ? { note: options.note } : {}) };
}

async function withAdmin<T>(work: (admin: InviteAdmin) => Promise<T>): Promise<T> {
  const admin = await openInviteAdmin(hubDir());
  try {
    return await work(admin);
  } finally {
    await admin.close();
  }
}

/**
 * Mints an invite and packs it into the line a friend pastes: the hub's
 * public URLs (or its URL), its own CA, the public signup creds and the portal.
 */
async function mintInviteLine(dir: string, admin: InviteAdmin, options: MintOptions): Promise<{ line: string; record: InviteRecord }> {
  const layout = hubLayout(dir);
  const info = await readHubInfo(layout.info);
  if (!info) throw new Error(`no hub in ${dir}: run \`natster hub up\` first`);
  const bootstrap = parseCreds(await readFile(credsPath(layout, HubAccounts.bootstrap), 'utf8'));
  const { code, record } = await admin.mint(options);
  const line = encodeInviteLine({
    urls: info.tls?.public_urls ?? [info.url],
    ...(info.tls?.ca_file ? { caPem: await readFile(info.tls.ca_file, 'utf8') } : {}),
    bootstrapJwt: bootstrap.jwt,
    bootstrapSeed: bootstrap.seed,
    portalUrl: info.portal_url,
    portalXKey: info.portal_xkey,
    code,
  });
  return { line, record };
}

const usesLeft = (r: InviteRecord) => Math.max(0, r.uses - r.used);

function stateOf(r: InviteRecord, now = Date.now()): string {
  if (r.revoked_at) return 'revoked';
  if (Date.parse(r.expires_at) <= now) return 'expired';
  return usesLeft(r) === 0 ? 'used up' : 'active';
}

function renderInvites(records: InviteRecord[]): string {
  if (records.length === 0) return 'no invites yet: make one with `natster hub invite`';
  return renderTable({
    title: 'Invites',
    head: ['ID', 'Uses left', 'Expires', 'State', 'Note'],
    rows: records.map((r) => [r.id, `${usesLeft(r)} of ${r.uses}`, r.expires_at.slice(0, 16).replace('T', ' '), stateOf(r), r.note ?? '']),
  });
}

export function registerInvites(hub: Command): void {
  hub
    .command('invite')
    .description('print one line a friend pastes into `natster init --invite` to join this hub')
    .option('--uses <n>', 'how many accounts it may create', '1')
    .option('--expires <duration>', 'how long it stays valid, e.g. 2h or 7d', '7d')
    .option('--note <text>', 'who it is for (shown by `natster hub invites`)')
    .option('--qr', 'also print the line as a QR code')
    .option('--revoke <id>', 'revoke an invite instead of making one')
    .action(async (options: InviteOptions, cmd: Command) => {
      const { json } = globalsOf(cmd);
      if (options.revoke !== undefined) {
        const id = options.revoke;
        const record = await withAdmin((admin) => admin.revoke(id));
        printResult(json, record, (r) => `revoked invite ${r.id}: it can no longer create accounts`);
        return;
      }
      const mint = mintOptions(options);
      const { line, record } = await withAdmin((admin) => mintInviteLine(hubDir(), admin, mint));
      if (json) return printJson({ ...record, line });
      // stdout is the line alone (and its QR code), so it can be piped or copied whole
      process.stdout.write(`${line}\n${options.qr ? terminalQr(line) + '\n' : ''}`);
      process.stderr.write(`invite ${record.id}: ${record.uses} use(s), until ${record.expires_at}; revoke with \`natster hub invite --revoke ${record.id}\`\n`);
    });

  hub
    .command('invites')
    .description('list invites: uses left, expiry, note, revoked')
    .action(async (_options: unknown, cmd: Command) => {
      const records = await withAdmin((admin) => admin.list());
      printResult(globalsOf(cmd).json, records.map((r) => ({ ...r, uses_left: usesLeft(r), state: stateOf(r) })), renderInvites);
    });
}
