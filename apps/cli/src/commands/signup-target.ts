import { readFile } from 'node:fs/promises';
import { openInviteAdmin } from '@natster/accounts';
import { credsFile } from '@natster/claims';
import { decodeInviteLine, type BootstrapCreds } from '@natster/client';
import { HubAccounts, credsPath, hubLayout, readHubInfo, signupPolicy, type HubInfo } from '@natster/hub';
import { hubDir } from '../hub-dir';

export interface TargetOptions {
  hub?: string;
  bootstrapCreds?: string;
  invite?: string;
}

/** Where and how `natster init` signs up, and what the new context keeps. */
export interface SignupTarget {
  url: string;
  bootstrap: BootstrapCreds;
  /** PEM of the hub's own CA: the context keeps a copy and every connection pins it. */
  caPem?: string;
  /** The invite code the signup presents. */
  invite?: string;
  portal?: { url: string; xkey: string };
  /** The local hub's dir, when signing up next to it. */
  hubDir?: string;
}

/** A local `natster init` is on the hub's machine and reads its secrets: on an invite-only hub it mints itself a single-use invite. */
const LOCAL_INVITE = { uses: 1, expiresInMs: 10 * 60_000, note: 'natster init on the hub machine' };

async function localInvite(dir: string, info: HubInfo): Promise<string | undefined> {
  if (signupPolicy(info) !== 'invite') return undefined;
  const admin = await openInviteAdmin(dir);
  try {
    return (await admin.mint(LOCAL_INVITE)).code;
  } finally {
    await admin.close();
  }
}

/** Everything from one pasted invite line: no hub dir, no other flag. */
function fromInvite(line: string): SignupTarget {
  const invite = decodeInviteLine(line);
  return {
    url: invite.urls[0]!,
    bootstrap: { bootstrapCreds: credsFile(invite.bootstrapJwt, invite.bootstrapSeed) },
    ...(invite.caPem ? { caPem: invite.caPem } : {}),
    invite: invite.code,
    portal: { url: invite.portalUrl, xkey: invite.portalXKey },
  };
}

/** Where to sign up: an invite line, explicit flags, else the local hub in NATSTER_HUB_DIR. */
export async function signupTarget(options: TargetOptions): Promise<SignupTarget> {
  if (options.invite !== undefined) {
    if (options.hub !== undefined || options.bootstrapCreds !== undefined) throw new Error('--invite carries the hub and its signup creds: drop --hub and --bootstrap-creds');
    return fromInvite(options.invite);
  }
  const dir = hubDir();
  const info = await readHubInfo(hubLayout(dir).info);
  const local = info !== null && (options.hub === undefined || options.hub === info.url);
  const url = options.hub ?? info?.url;
  if (!url) throw new Error('no hub to join: start one here with `natster hub up`, or paste the invite line a hub’s owner sent you: `natster init --invite <line>`');
  const bootstrapCredsPath = options.bootstrapCreds ?? (local ? credsPath(hubLayout(dir), HubAccounts.bootstrap) : undefined);
  if (!bootstrapCredsPath) throw new Error(`joining ${url} needs an invite: ask the hub's owner for one (\`natster hub invite\`) and run \`natster init --invite <line>\``);
  if (!local || !info) return { url, bootstrap: { bootstrapCredsPath } };
  const invite = await localInvite(dir, info);
  return {
    url,
    bootstrap: { bootstrapCredsPath },
    ...(info.tls?.ca_file ? { caPem: await readFile(info.tls.ca_file, 'utf8') } : {}),
    ...(invite ? { invite } : {}),
    hubDir: dir,
  };
}
