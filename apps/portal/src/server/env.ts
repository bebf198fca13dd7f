import { readFile } from 'node:fs/promises';
import { PORTAL_XKEY_SEED, checkPortalUrl, credsPath, defaultHubDir, hubConnection, hubLayout, readHubInfo, readSecret, seedPath } from '@natster/hub';

/** The portal's configuration: the only place process.env is read. */
export interface PortalEnv {
  /** nats:// URL(s) of the hub. */
  natsUrl: string;
  /** NATSTER_CA_FILE, else hub.json's: the CA a public hub's certificate chains to. */
  caFile: string | undefined;
  /**
   * Where browsers reach the portal (hub.json `portal_url`): the only origin allowed
   * to change state. Behind a TLS proxy it is the proxy's https origin; request
   * headers (Host, X-Forwarded-*) never override it, since anyone can send them.
   */
  portalUrl: string;
  /** The portal URL is https: session cookies are Secure. */
  secureCookies: boolean;
  /** Creds text of the PORTAL account's user (portal-only calls, session KV). */
  portalCreds: string;
  /** The PORTAL account's public key. */
  portalAccount: string;
  /** Seed of the portal's xkey: opens what `natster login` sealed. Never leaves this process. */
  xkeySeed: string;
  /** Lifetime cap of a session, whatever the creds say. */
  maxSessionSeconds: number;
  /** JetStream replicas for the session bucket (hub.json `replicas`). */
  replicas: number;
  /**
   * Most bytes one open-ended media range (`bytes=N-`) is answered with: small
   * enough that a seek never waits behind a large transfer, large enough to
   * keep playback fed with few requests.
   */
  maxMediaRangeBytes: number;
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`${what} is not set: start the portal with \`npm start\` (the hub supervisor) or set it yourself`);
  return value;
}

function portalUrlOf(value: string): string {
  try {
    return checkPortalUrl(value);
  } catch (err) {
    throw new Error(`NATSTER_PORTAL_URL (or hub.json portal_url): ${(err as Error).message}`, { cause: err });
  }
}

async function load(): Promise<PortalEnv> {
  const env = process.env;
  const hubDir = env.NATSTER_HUB_DIR ?? defaultHubDir();
  const layout = hubLayout(hubDir);
  const info = await readHubInfo(layout.info);
  if (!info && !(env.NATS_URL && (env.NATSTER_PORTAL_CREDS ?? env.NATSTER_CREDS) && env.NATSTER_PORTAL_XKEY_SEED && env.NATSTER_PORTAL_ACCOUNT)) {
    throw new Error(`no hub found in ${hubDir}: run \`npm start\` once to create it, or set NATSTER_HUB_DIR`);
  }
  const natsUrl = required(env.NATS_URL ?? info?.url, 'NATS_URL');
  const caFile = env.NATSTER_CA_FILE ?? (info ? hubConnection(info).caFile : undefined);
  const portalUrl = portalUrlOf(env.NATSTER_PORTAL_URL ?? info?.portal_url ?? `http://${listenOptions().host}:${listenOptions().port}`);
  // NATSTER_CREDS is what the hub supervisor hands every process (here: the PORTAL account's creds).
  const portalCreds = await readFile(env.NATSTER_PORTAL_CREDS ?? env.NATSTER_CREDS ?? credsPath(layout, 'PORTAL'), 'utf8');
  const xkeySeed = env.NATSTER_PORTAL_XKEY_SEED ?? (await readSecret(seedPath(layout, PORTAL_XKEY_SEED)));
  const portalAccount = required(env.NATSTER_PORTAL_ACCOUNT ?? info?.accounts.PORTAL, 'NATSTER_PORTAL_ACCOUNT');
  const days = Number(env.NATSTER_PORTAL_SESSION_DAYS ?? 30);
  if (!Number.isFinite(days) || days <= 0) throw new Error('NATSTER_PORTAL_SESSION_DAYS must be a positive number of days');
  const maxMediaRangeBytes = Number(env.NATSTER_PORTAL_MEDIA_RANGE_BYTES ?? 8 * 1024 * 1024);
  if (!Number.isInteger(maxMediaRangeBytes) || maxMediaRangeBytes < 4096) throw new Error('NATSTER_PORTAL_MEDIA_RANGE_BYTES must be a whole number of bytes, at least 4096');
  return { natsUrl, caFile, portalUrl, secureCookies: portalUrl.startsWith('https:'), portalCreds, portalAccount, xkeySeed, maxSessionSeconds: Math.round(days * 86400), replicas: info?.replicas ?? 1, maxMediaRangeBytes };
}

let loaded: Promise<PortalEnv> | undefined;

/** Reads the environment once per process. */
export function portalEnv(): Promise<PortalEnv> {
  loaded ??= load().catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}

/** Where the portal listens: loopback by default (put a TLS proxy in front to publish it). */
export function listenOptions(): { host: string; port: number } {
  const port = Number(process.env.NATSTER_PORTAL_PORT ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('NATSTER_PORTAL_PORT must be a TCP port number');
  return { host: process.env.NATSTER_PORTAL_HOST ?? '127.0.0.1', port };
}
