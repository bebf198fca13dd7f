import { join } from 'node:path';
import { HubAccounts, credsPath, defaultHubDir, hubConnection, hubLayout, readHubInfo } from '@natster/hub';
import { Defaults } from './config';

/** What the global service reads from its environment and hub.json; validated here, nowhere else. */
export interface GlobalEnv {
  natsUrl: string;
  /** NATSTER_CA_FILE, else hub.json's: the CA a public hub's certificate chains to. */
  caFile: string | undefined;
  credsPath: string;
  dataKeyFile: string;
  portalUrl: string;
  portalAccount: string;
  authorityAccount: string;
  replicas: number;
  heartbeatPeriodMs: number;
  otcMaxAgeMs: number;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
  return n;
}

export async function readGlobalEnv(env: NodeJS.ProcessEnv = process.env): Promise<GlobalEnv> {
  const layout = hubLayout(env.NATSTER_HUB_DIR ?? defaultHubDir());
  const info = await readHubInfo(layout.info);
  if (!info) throw new Error(`no hub at ${layout.dir}: run \`natster hub up\` first, or set NATSTER_HUB_DIR`);
  return {
    natsUrl: env.NATS_URL ?? info.url,
    caFile: env.NATSTER_CA_FILE ?? hubConnection(info).caFile,
    credsPath: env.NATSTER_CREDS ?? credsPath(layout, HubAccounts.global),
    dataKeyFile: env.NATSTER_GLOBAL_DATA_KEY_FILE ?? join(layout.keys, 'global-data.key'),
    portalUrl: info.portal_url,
    portalAccount: info.accounts.PORTAL,
    authorityAccount: info.accounts.AUTHORITY,
    replicas: info.replicas ?? Defaults.replicas,
    heartbeatPeriodMs: positiveInt('NATSTER_HEARTBEAT_PERIOD_MS', env.NATSTER_HEARTBEAT_PERIOD_MS, Defaults.heartbeatPeriodMs),
    otcMaxAgeMs: positiveInt('NATSTER_OTC_MAX_AGE_MS', env.NATSTER_OTC_MAX_AGE_MS, Defaults.otcMaxAgeMs),
  };
}
