import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  accountJwt,
  accountsImport,
  authorityExports,
  bootstrapLimits,
  catalogOwnerExports,
  credsFile,
  globalExports,
  globalImports,
  newAccountKey,
  newOperatorKey,
  newUserKey,
  operatorJwt,
  publicKeyOf,
  serviceAccountLimits,
  signupImport,
  userJwt,
  type AccountLimitPolicy,
  type AccountSpec,
  type KeyPairStrings,
  type Permissions,
} from '@natster/claims';
import { createCurve, fromCurveSeed } from 'nkeys.js';
import { readHubInfo, writeHubInfo, type HubInfo, type HubTls } from './hub-info';
import { ensureHubTls } from './hub-tls';
import { accountLimitPolicy, signupRatePolicy } from './hub-limits';
import { HubAccounts, credsPath, hubLayout, seedPath, type HubAccountName, type HubLayout } from './layout';
import { portalAddress } from './portal-url';
import { natsServerConfig } from './server-config';
import { readSecret, writeSecret } from './secret-files';

export interface HubOptions {
  host?: string;
  port?: number;
  httpPort?: number;
  /** Where browsers reach the portal: an http(s) origin (`checkPortalUrl`), its TLS proxy's when published. */
  portalUrl?: string;
  /** Loopback port the portal listens on. */
  portalPort?: number;
  replicas?: number;
  /** `--public`: names or IPs friends dial; the client port then listens everywhere, TLS only. */
  publicHosts?: string[];
  /** `--tls-cert`/`--tls-key`: the owner's certificate instead of a self-made CA. */
  ownCert?: { certFile: string; keyFile: string };
  /** `--open-signup` / `--invite-only`: hub.json `signup`, kept by later runs. */
  signup?: HubInfo['signup'];
}

export const DEFAULT_MAX_PAYLOAD = 8 * 1024 * 1024;
export const DEFAULT_DEMO_CATALOG = 'hub';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function loadOrCreateKey(layout: HubLayout, name: string, create: () => KeyPairStrings): Promise<KeyPairStrings> {
  const path = seedPath(layout, name);
  if (await exists(path)) {
    const seed = await readSecret(path);
    return { seed, publicKey: publicKeyOf(seed) };
  }
  const kp = create();
  await writeSecret(path, kp.seed + '\n');
  return kp;
}

/** Seed file (under keys/) of the portal's xkey. */
export const PORTAL_XKEY_SEED = 'portal-xkey';

/** The portal's xkey: `natster login` seals session creds to its public key; only the portal holds the seed. */
async function loadOrCreatePortalXKey(layout: HubLayout): Promise<string> {
  const path = seedPath(layout, PORTAL_XKEY_SEED);
  if (await exists(path)) return fromCurveSeed(new TextEncoder().encode(await readSecret(path))).getPublicKey();
  const kp = createCurve();
  await writeSecret(path, new TextDecoder().decode(kp.getSeed()) + '\n');
  return kp.getPublicKey();
}

/** The JWT of each hub account: its exports, imports, limits and whether it keeps JetStream state. */
function hubAccountSpecs(keys: Record<HubAccountName, string>, limits: AccountLimitPolicy): Record<HubAccountName, AccountSpec> {
  const { sys, authority, global, hub, portal, bootstrap } = HubAccounts;
  const service = (jetstream: boolean) => ({ jetstream, limits: serviceAccountLimits(limits.service, jetstream) });
  // share: the server tells the authority which bootstrap connection asked (Nats-Request-Info), for its per-connection signup rate
  const signup = { ...signupImport(keys[authority]), share: true };
  return {
    [sys]: { name: sys, account: keys[sys] },
    [authority]: { name: authority, account: keys[authority], exports: authorityExports(), imports: globalImports(keys[authority], keys[global]).slice(0, 1), ...service(true), description: 'Natster account authority' },
    [global]: { name: global, account: keys[global], exports: globalExports(), ...service(true), description: 'Natster global service' },
    [hub]: { name: hub, account: keys[hub], exports: catalogOwnerExports(), imports: [...globalImports(keys[hub], keys[global]), accountsImport(keys[hub], keys[authority])], ...service(false), description: 'Natster hub: demo catalog owner' },
    [portal]: { name: portal, account: keys[portal], imports: [...globalImports(keys[portal], keys[global]), accountsImport(keys[portal], keys[authority])], ...service(true), description: 'Natster portal' },
    [bootstrap]: { name: bootstrap, account: keys[bootstrap], imports: [signup], limits: bootstrapLimits(limits.bootstrap), description: 'Public signup: may only request natster.signup' },
  };
}

/**
 * The bootstrap user may only publish signup requests and receive replies.
 * Every holder of these public creds is this one user, so any of them may
 * subscribe to `_INBOX.>` (nats-server 2.9 has no per-connection permissions):
 * the authority therefore seals each reply to a single-use key of its request.
 */
const BOOTSTRAP_PERMISSIONS: Permissions = {
  pub: { allow: ['natster.signup'] },
  sub: { allow: ['_INBOX.>'] },
};

export interface Hub {
  layout: HubLayout;
  info: HubInfo;
  /** JWT of every hub account, for the server's resolver preload. */
  accountJwts: Record<HubAccountName, string>;
  /** True when this call created the hub. */
  created: boolean;
}

/** TLS once `--public` was given (kept by later runs, which renew the certificate when due). */
async function hubTls(layout: HubLayout, port: number, options: HubOptions, previous: HubTls | undefined): Promise<HubTls | undefined> {
  const publicHosts = options.publicHosts ?? previous?.public_hosts;
  if (!publicHosts) return undefined;
  const ownCert = options.ownCert ?? (previous && !previous.ca_file ? 'kept' : undefined);
  return (await ensureHubTls(layout, port, { publicHosts, ...(ownCert ? { ownCert } : {}) })).tls;
}

/**
 * Where the hub's own processes connect: loopback, over TLS on a public hub. An
 * owner's certificate names only the public hosts, so they dial the first one.
 */
function hubUrl(host: string, port: number, tls: HubTls | undefined): string {
  if (!tls) return `nats://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  return tls.ca_file ? `tls://127.0.0.1:${port}` : tls.public_urls[0]!;
}

/**
 * Creates the hub on first run (operator, signing key, accounts, users,
 * server config) and reuses it on every later run. Idempotent: keys are
 * never regenerated; config is rewritten from hub.json so it stays derived.
 */
export async function initHub(dir: string, options: HubOptions = {}): Promise<Hub> {
  const layout = hubLayout(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const sub of [layout.resolver, layout.jetstream, layout.logs, layout.run, layout.creds]) await mkdir(sub, { recursive: true, mode: 0o700 });

  const previous = await readHubInfo(layout.info);
  const operator = await loadOrCreateKey(layout, 'operator', newOperatorKey);
  const signing = await loadOrCreateKey(layout, 'operator-signing', newOperatorKey);
  const accountKeys = {} as Record<HubAccountName, string>;
  const accountSeeds = {} as Record<HubAccountName, string>;
  for (const name of Object.values(HubAccounts)) {
    const kp = await loadOrCreateKey(layout, name, newAccountKey);
    accountKeys[name] = kp.publicKey;
    accountSeeds[name] = kp.seed;
  }

  const limits = accountLimitPolicy(previous?.account_limits);
  const port = options.port ?? previous?.port ?? 4222;
  const tls = await hubTls(layout, port, options, previous?.tls);
  const host = tls ? '0.0.0.0' : (options.host ?? previous?.host ?? '127.0.0.1');
  const httpPort = options.httpPort ?? previous?.http_port ?? 8222;
  const signup = options.signup ?? previous?.signup;
  const info: HubInfo = {
    version: 1,
    created_at: previous?.created_at ?? new Date().toISOString(),
    url: hubUrl(host, port, tls),
    host,
    port,
    http_port: httpPort,
    max_payload: previous?.max_payload ?? DEFAULT_MAX_PAYLOAD,
    replicas: options.replicas ?? previous?.replicas ?? 1,
    operator: operator.publicKey,
    accounts: accountKeys,
    demo_catalog: previous?.demo_catalog ?? DEFAULT_DEMO_CATALOG,
    ...portalAddress(options, previous),
    portal_xkey: await loadOrCreatePortalXKey(layout),
    // written out in full so the operator sees every setting there is to edit
    account_limits: limits,
    signup_rate: signupRatePolicy(previous?.signup_rate),
    ...(signup ? { signup } : {}),
    ...(tls ? { tls } : {}),
  };

  const opJwtText = (await exists(layout.operatorJwt))
    ? await readFile(layout.operatorJwt, 'utf8')
    : await operatorJwt('natster', operator, signing.publicKey, accountKeys[HubAccounts.sys]);
  await writeFile(layout.operatorJwt, opJwtText);

  // Re-signed on every run, so limits edited in hub.json reach the server: its resolver keeps the newer preload.
  const specs = hubAccountSpecs(accountKeys, limits);
  const accountJwts = {} as Record<HubAccountName, string>;
  await mkdir(join(layout.dir, 'accounts'), { recursive: true });
  for (const name of Object.values(HubAccounts)) {
    accountJwts[name] = await accountJwt(specs[name], signing.seed);
    await writeFile(join(layout.dir, 'accounts', `${name}.jwt`), accountJwts[name] + '\n');
  }

  for (const name of Object.values(HubAccounts)) {
    const path = credsPath(layout, name);
    if (await exists(path)) continue;
    const user = newUserKey();
    const permissions = name === HubAccounts.bootstrap ? BOOTSTRAP_PERMISSIONS : undefined;
    const jwt = await userJwt({ name: `${name.toLowerCase()}-user`, user: user.publicKey, ...(permissions ? { permissions } : {}) }, accountSeeds[name]);
    await writeSecret(path, credsFile(jwt, user.seed));
  }

  await writeFile(layout.config, natsServerConfig(layout, info, accountJwts), { mode: 0o600 });
  await writeHubInfo(layout.info, info);
  return { layout, info, accountJwts, created: previous === null };
}
