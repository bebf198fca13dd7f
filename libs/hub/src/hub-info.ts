import { readFile, writeFile } from 'node:fs/promises';
import type { AccountLimitPolicy } from '@natster/claims';
import type { SignupRatePolicy } from './hub-limits';
import type { HubAccountName } from './layout';

/** Public facts about a hub, kept in hub.json (no secrets). */
export interface HubInfo {
  version: 1;
  created_at: string;
  /** Address clients use. */
  url: string;
  host: string;
  port: number;
  http_port: number;
  /** Largest message the server accepts; chunk size must stay below it. */
  max_payload: number;
  /** JetStream replicas for Natster streams and buckets (1 here, 3 on a cluster). */
  replicas: number;
  operator: string;
  /** Public keys of the hub's own accounts. */
  accounts: Record<HubAccountName, string>;
  /** The demo catalog the HUB account serves and every new account imports. */
  demo_catalog: string;
  /** Where browsers reach the portal (claim URLs point here): its public URL behind a TLS proxy (`hub up --portal-url`). */
  portal_url: string;
  /** The port the portal listens on, always on 127.0.0.1 (portal-url.ts). Older hub.json files lack it. */
  portal_port?: number;
  /** The portal's xkey public key: `natster login` seals session creds to it. */
  portal_xkey: string;
  /**
   * Connection/subscription caps per class of account (hub-limits.ts). The
   * hub's own accounts are re-signed with them on every `hub up`; new signups
   * get `user`. Older hub.json files lack it: the defaults apply.
   */
  account_limits?: AccountLimitPolicy;
  /** How fast the authority creates accounts (hub-limits.ts); read when the authority starts. */
  signup_rate?: SignupRatePolicy;
  /**
   * Who may sign up: `invite` needs a signed, unused invite (`natster hub invite`), `open` anyone
   * holding the public signup creds. Absent: open. Read when the authority starts.
   */
  signup?: 'invite' | 'open';
  /** Set by `hub up --public`: the client port listens on every interface and requires TLS (hub-tls.ts). */
  tls?: HubTls;
}

export type SignupPolicy = NonNullable<HubInfo['signup']>;

/** hub.json `signup`; absent: a public hub (TLS) signs up by invite only, a local one is open as before. */
export const signupPolicy = (info: HubInfo): SignupPolicy => info.signup ?? (info.tls ? 'invite' : 'open');

/** A public hub's TLS settings (files under `<hub>/tls/`). */
export interface HubTls {
  /** Names or IPs friends dial (`--public`). */
  public_hosts: string[];
  /** What friends connect to: `tls://HOST:PORT`, one per public host. */
  public_urls: string[];
  /** The hub's own CA (PEM) clients pin; absent when the owner brought a certificate (`--tls-cert`: system roots). */
  ca_file?: string;
  cert_file: string;
  key_file: string;
  /** When the server certificate expires (ISO 8601). */
  not_after: string;
}

/**
 * How the hub's own processes connect: hub.json's URL (`tls://` on a public hub)
 * and, with a self-made certificate, the CA it must chain to.
 */
export const hubConnection = (info: HubInfo): { servers: string; caFile?: string } => ({
  servers: info.url,
  ...(info.tls?.ca_file ? { caFile: info.tls.ca_file } : {}),
});

export async function readHubInfo(path: string): Promise<HubInfo | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as HubInfo;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

export async function writeHubInfo(path: string, info: HubInfo): Promise<void> {
  await writeFile(path, JSON.stringify(info, null, 2) + '\n');
}
