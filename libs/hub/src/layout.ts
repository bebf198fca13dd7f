import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the hub keeps everything; one folder, reused by every later run. */
export function defaultHubDir(): string {
  return process.env.NATSTER_HUB_DIR ?? join(process.env.NATSTER_HOME ?? join(homedir(), '.natster'), 'hub');
}

export interface HubLayout {
  dir: string;
  /** Public facts about the hub (no secrets): see HubInfo. */
  info: string;
  config: string;
  operatorJwt: string;
  /** Seeds, one file each, mode 0600. */
  keys: string;
  /** User creds for the hub's own processes and the public bootstrap user. */
  creds: string;
  resolver: string;
  jetstream: string;
  logs: string;
  /** pid files of supervised processes. */
  run: string;
  /** Files of the demo catalog served by the HUB account. */
  demo: string;
  /** A public hub's CA and server certificate (keys 0600). */
  tls: string;
}

export function hubLayout(dir: string): HubLayout {
  return {
    dir,
    info: join(dir, 'hub.json'),
    config: join(dir, 'nats-server.conf'),
    operatorJwt: join(dir, 'operator.jwt'),
    keys: join(dir, 'keys'),
    creds: join(dir, 'creds'),
    resolver: join(dir, 'resolver'),
    jetstream: join(dir, 'jetstream'),
    logs: join(dir, 'logs'),
    run: join(dir, 'run'),
    demo: join(dir, 'demo'),
    tls: join(dir, 'tls'),
  };
}

/** The hub's own accounts. BOOTSTRAP holds only the public signup user. */
export const HubAccounts = {
  sys: 'SYS',
  authority: 'AUTHORITY',
  global: 'NATSTER_GLOBAL',
  hub: 'HUB',
  portal: 'PORTAL',
  bootstrap: 'BOOTSTRAP',
} as const;
export type HubAccountName = (typeof HubAccounts)[keyof typeof HubAccounts];

export const credsPath = (layout: HubLayout, account: HubAccountName): string => join(layout.creds, `${account}.creds`);
export const seedPath = (layout: HubLayout, name: string): string => join(layout.keys, `${name}.nk`);
