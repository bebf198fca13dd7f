import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { credsFile, newUserKey, userJwt, type Permissions } from '@natster/claims';
import { GlobalClient } from '@natster/client';
import { readAccountSeed, type NatsterContext } from '@natster/context';
import { createXKey, decodeXKey, randomBytes, seal, NONCE_BYTES } from '@natster/crypto';
import { defaultHubDir, hubLayout, readHubInfo } from '@natster/hub';
import { PortalLogin, SealedPortalLogin, type OtcGenerateReply } from '@natster/protocol';
import { globalsOf } from '../globals';
import { printResult } from '../output';
import { terminalQr } from '../qr';
import { withSession } from '../session';

interface LoginOptions {
  qr?: boolean;
  days: string;
  portalXkey?: string;
  open: boolean;
}

/** What a portal session may do as this account: read, list, download, stream, import shares, revoke itself on sign-out. */
export const PORTAL_PERMISSIONS: Permissions = {
  pub: {
    allow: ['natster.global.>', 'natster.catalog.>', 'natster.accounts.catalogs.import', 'natster.accounts.get', 'natster.accounts.users.revoke', '_INBOX.>'],
  },
  sub: { allow: ['_INBOX.>', 'natster.global-events.>', 'natster.media.>'] },
};

const MAX_DAYS = 365;
/**
 * A portal session's creds are a bearer secret held by the portal: sign-out
 * revokes them, but a browser that never signs out (a shared or lost machine)
 * leaves them valid until they expire, so the default is a week, not a month.
 */
const DEFAULT_DAYS = '7';

/** Mints scoped, expiring creds for one portal session, signed by the account seed (which stays here). */
export async function mintPortalLogin(context: NatsterContext, accountSeed: string, days: number): Promise<PortalLogin> {
  const user = newUserKey();
  const expires = Math.floor(Date.now() / 1000) + Math.round(days * 86400);
  const jwt = await userJwt({ name: `portal-${context.name}`, user: user.publicKey, permissions: PORTAL_PERMISSIONS, expires }, accountSeed);
  return PortalLogin.check({
    version: 1,
    account: context.account,
    user: user.publicKey,
    creds: credsFile(jwt, user.seed),
    expires_at: new Date(expires * 1000).toISOString(),
    context: context.name,
  });
}

/** Seals a login to the portal's xkey with a single-use sender key: only that portal can open it. */
export function sealPortalLogin(login: PortalLogin, portalXKey: string): SealedPortalLogin {
  const sender = createXKey();
  const box = seal(new TextEncoder().encode(JSON.stringify(login)), randomBytes(NONCE_BYTES), decodeXKey(portalXKey), sender.secretKey);
  return SealedPortalLogin.check({ sender_xkey: sender.publicKey, box: Buffer.from(box).toString('base64') });
}

/**
 * The portal's xkey: the flag, else the context's (an invite brings it to a
 * machine without the hub), else the hub.json of the hub this context was made on.
 */
async function portalXKeyOf(context: NatsterContext, flag: string | undefined): Promise<string> {
  if (flag) return flag;
  if (context.portal_xkey) return context.portal_xkey;
  const info = await readHubInfo(hubLayout(context.hub_dir ?? defaultHubDir()).info);
  if (info?.portal_xkey && info.url === context.hub_url) return info.portal_xkey;
  throw new Error(`cannot find the portal key of ${context.hub_url}: pass --portal-xkey X… (the hub's operator finds it as portal_xkey in hub.json)`);
}

function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser here (a server, a container): the printed link is enough
  }
}

function render(reply: OtcGenerateReply, qr: boolean): string {
  const lines = [`Open this link to sign in to the portal (valid ${reply.valid_minutes} minutes, once):`, '', `  ${reply.claim_url}`, ''];
  if (qr) lines.push(terminalQr(reply.claim_url));
  return lines.join('\n');
}

export function register(program: Command): void {
  program
    .command('login')
    .description('sign in to the web portal with a one-time link (your keys never leave this machine)')
    .option('--qr', 'also print the link as a QR code, to sign in on a phone')
    .option('--days <n>', `how long the portal session may last (at most ${MAX_DAYS})`, DEFAULT_DAYS)
    .option('--portal-xkey <key>', "the portal's xkey public key (default: from the local hub)")
    .option('--no-open', 'do not open a browser')
    .action(async (options: LoginOptions, cmd: Command) => {
      const days = Number(options.days);
      if (!Number.isFinite(days) || days <= 0 || days > MAX_DAYS) throw new Error(`--days must be between 1 and ${MAX_DAYS}`);
      const { json } = globalsOf(cmd);
      const reply = await withSession(cmd, async ({ context, nc }) => {
        const login = await mintPortalLogin(context, await readAccountSeed(context), days);
        const sealed = sealPortalLogin(login, await portalXKeyOf(context, options.portalXkey));
        return new GlobalClient(nc).otcGenerate({
          context: { name: context.name, user: login.user, ...(context.display_name ? { display_name: context.display_name } : {}), hub_url: context.hub_url },
          sealed: JSON.stringify(sealed),
        });
      });
      printResult(json, reply, (r) => render(r, options.qr === true));
      if (options.open && !json) openBrowser(reply.claim_url);
    });
}
