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
  /** Where the portal is reachable (claim URLs point here). */
  portal_url: string;
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
}

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
