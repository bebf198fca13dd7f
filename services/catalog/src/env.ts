import { defaultHubDir } from '@natster/hub';

/** The hub catalog service's environment, read and checked in one place. */
export interface CatalogEnv {
  /** NATSTER_HUB_DIR: the demo files live in `<hub dir>/demo`, the catalog file in `<hub dir>/catalogs`. */
  hubDir: string;
  /** NATS_URL: overrides the URL in hub.json. */
  url: string | undefined;
  /** NATSTER_CREDS: creds of a HUB account user (default: the hub's own). */
  credsPath: string | undefined;
  /** NATSTER_CA_FILE: the CA a public hub's certificate chains to (default: hub.json's). */
  caFile: string | undefined;
  /** NATSTER_HEARTBEAT_MS / NATSTER_RESCAN_MS: tuning; defaults in the server. */
  heartbeatMs: number | undefined;
  rescanMs: number | undefined;
  /** NATSTER_FFMPEG: the ffmpeg binary that makes the demo files. */
  ffmpeg: string | undefined;
}

function optionalMs(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of milliseconds, got ${JSON.stringify(raw)}`);
  return value;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): CatalogEnv {
  const url = env.NATS_URL || undefined;
  if (url && !/^(nats|tls|wss?):\/\//.test(url)) throw new Error(`NATS_URL must be a nats:// URL, got ${JSON.stringify(url)}`);
  return {
    hubDir: env.NATSTER_HUB_DIR || defaultHubDir(),
    url,
    credsPath: env.NATSTER_CREDS || undefined,
    caFile: env.NATSTER_CA_FILE || undefined,
    heartbeatMs: optionalMs('NATSTER_HEARTBEAT_MS', env.NATSTER_HEARTBEAT_MS),
    rescanMs: optionalMs('NATSTER_RESCAN_MS', env.NATSTER_RESCAN_MS),
    ffmpeg: env.NATSTER_FFMPEG || undefined,
  };
}
