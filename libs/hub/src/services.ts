import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HubInfo } from './hub-info';
import { HubAccounts, type HubAccountName, type HubLayout } from './layout';
import { MEDIA_NODE_FLAGS } from './node-flags';
import { portalListenPort } from './portal-url';

/** The repository root (packages run from source, so services are found next to this lib). */
// (resolved from this file's path: bundlers such as Next's treat `new URL('dir/', import.meta.url)` as an asset to bundle)
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface SupervisedService {
  /** Process name: log file `<hub>/logs/<name>.log`, pid file `<hub>/run/<name>.pid`. */
  name: string;
  /** Package folder relative to the repo root; the supervisor runs `<packageDir>/src/main.ts`. */
  packageDir: string;
  /** Hub account whose creds the service gets as NATSTER_CREDS. */
  account: HubAccountName;
  /**
   * Name it registers with the NATS service API, answered on `$SRV.PING.<name>`
   * in its account; null for a process that registers none (it only has to stay up).
   * Default: `name`.
   */
  serviceName?: string | null;
  /** Flags for its `node` (before the TypeScript loader). */
  nodeFlags?: readonly string[];
  /** Extra environment, besides NATSTER_HUB_DIR, NATS_URL, NATSTER_CREDS and (public hub) NATSTER_CA_FILE. */
  env?(hub: { layout: HubLayout; info: HubInfo }): Record<string, string>;
}

/**
 * THE registry of processes `natster hub up` supervises, in start order.
 * Add one object per service; an entry whose src/main.ts does not exist yet
 * is skipped.
 */
export const supervisedServices: SupervisedService[] = [
  { name: 'accounts', packageDir: 'services/accounts', account: HubAccounts.authority },
  { name: 'global', packageDir: 'services/global', account: HubAccounts.global, serviceName: 'natster-global' },
  // Serves the demo catalog (HUB account, allow-all); makes its files with ffmpeg on first start.
  { name: 'catalog-hub', packageDir: 'services/catalog', account: HubAccounts.hub, serviceName: 'natster-catalog' },
  // Seals and publishes the demo catalog's downloads (HUB account); threads default to the cores.
  { name: 'chunker-hub', packageDir: 'services/chunker', account: HubAccounts.hub, serviceName: 'natster-chunker', nodeFlags: MEDIA_NODE_FLAGS },
  // Next.js portal: production build if built, else `next dev`; loopback (a TLS proxy publishes portal_url), its own port.
  { name: 'portal', packageDir: 'apps/portal', account: HubAccounts.portal, serviceName: null, env: ({ info }) => ({ NATSTER_PORTAL_PORT: String(portalListenPort(info)), NATSTER_PORTAL_HOST: '127.0.0.1' }) },
];

export const serviceMain = (service: SupervisedService): string => join(REPO_ROOT, service.packageDir, 'src', 'main.ts');
export const serviceApiName = (service: SupervisedService): string | null => (service.serviceName === undefined ? service.name : service.serviceName);

/** Registered services whose code exists (the others are skipped). */
export function runnableServices(all: SupervisedService[] = supervisedServices): SupervisedService[] {
  return all.filter((s) => existsSync(serviceMain(s)));
}
