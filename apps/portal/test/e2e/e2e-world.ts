import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openInviteAdmin, startAuthority, type Authority } from '@natster/accounts';
import { createCatalog, startHubCatalog, type CatalogServer } from '@natster/catalog';
import { loadServedCatalogs, startChunker, type Chunker } from '@natster/chunker';
import { credsFile, newAccountKey, newUserKey, userJwt } from '@natster/claims';
import { GlobalClient, signup } from '@natster/client';
import { startGlobal, type GlobalHandle } from '@natster/global';
import { HubAccounts, credsPath, writeHubInfo, writeSecret } from '@natster/hub';
import { connectNatster, createLogger, type NatsConnection } from '@natster/nats';
import type { OtcGenerateReply } from '@natster/protocol';
import { freePort, startTestHub, type TestHub } from '@natster/testing';
import { ensureBuilt } from '../../scripts/ensure-built';
import { serveCatalog, type ServedCatalog } from '../serve-catalog';
import { PORTAL_DIR, REPO_ROOT, startPortal, type PortalProcess } from './portal-process';

const run = promisify(execFile);
const quiet = (service: string) => createLogger(service, { level: 'error' });
export const RESULTS = join(PORTAL_DIR, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Fox's catalog: what every e2e test shares and streams. */
export const FOX_CATALOG = 'films';

/** Something in front of the portal (a TLS proxy): browsers, claim links and the Origin check use its URL. */
export interface Front {
  url: string;
  stop(): Promise<void>;
}

export interface World {
  th: TestHub;
  portal: PortalProcess;
  /** Where browsers reach the portal: `front`'s URL, else the portal's own. */
  url: string;
  browser: Browser;
  /** The account of Mia, who signs in to the portal (made with the real CLI). */
  mia: string;
  fox: { account: string; global: GlobalClient; folder: string };
  /** The real `natster` CLI, as Mia, in her own NATSTER_HOME. */
  natster(...args: string[]): Promise<string>;
  /** Mia's CLI environment (her NATSTER_HOME and the hub dir): she is the hub's owner. */
  miaEnv: Record<string, string>;
  /** Starts (again) Fox's `films` server and chunker: the owner online. */
  foxOnline(): Promise<void>;
  /** Stops them: the owner offline. */
  foxOffline(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Everything the portal needs, real and on loopback: a hub, the global
 * service, the authority, the demo catalog, Mia (signed up with the CLI),
 * Fox serving `films` with `files` (written into his folder before it is
 * scanned), the built portal, and Debian's chromium. `front` becomes the
 * hub's portal URL (hub.json, so invites and `natster login` link to it);
 * `publicHosts` makes the hub public (TLS with its own CA, invite-only signup).
 */
export async function startWorld(options: {
  files: (demoDir: string, folder: string) => Promise<void>;
  portalEnv?: Record<string, string>;
  front?: (portalUrl: string) => Promise<Front>;
  publicHosts?: string[];
}): Promise<World> {
  ensureBuilt();
  await mkdir(RESULTS, { recursive: true });
  const stoppers: (() => Promise<unknown>)[] = [];
  const th = await startTestHub(options.publicHosts ? { publicHosts: options.publicHosts } : {});
  stoppers.push(() => th.stop());
  const home = await mkdtemp(join(tmpdir(), 'natster-home-'));
  stoppers.push(() => rm(home, { recursive: true, force: true }));
  const info = th.hub.info;
  const port = await freePort();
  const portalUrl = `http://127.0.0.1:${port}`;

  try {
    const front = await options.front?.(portalUrl);
    if (front) stoppers.push(() => front.stop());
    const url = front?.url ?? portalUrl;
    if (front) await writeHubInfo(th.hub.layout.info, { ...info, portal_url: url });
    const tls = th.caFile ? { caFile: th.caFile } : {};
    const global: GlobalHandle = await startGlobal({
      nc: await th.connectAs(HubAccounts.global),
      portalUrl: url,
      portalAccount: info.accounts.PORTAL,
      authorityAccount: info.accounts.AUTHORITY,
      dataKey: randomBytes(32),
      heartbeatPeriodMs: 500,
      logger: quiet('global'),
    });
    stoppers.push(() => global.stop());
    const authority: Authority = await startAuthority({ hubDir: th.dir, logger: quiet('accounts') });
    stoppers.push(() => authority.stop());

    // the hub's demo catalog (generates its video and audio with ffmpeg) and its chunker
    const hubNc = await th.connectAs(HubAccounts.hub, 'hub-catalog');
    const hubServer: CatalogServer = await startHubCatalog({ nc: hubNc, account: info.accounts.HUB, hubDir: th.dir, global: new GlobalClient(hubNc), logger: quiet('catalog'), heartbeatMs: 500 });
    stoppers.push(() => hubServer.stop());
    const hubCatalogs = await loadServedCatalogs(join(th.dir, 'catalogs'), { names: [info.demo_catalog], logger: quiet('chunker') });
    const hubChunker: Chunker = await startChunker({ nc: await th.connectAs(HubAccounts.hub, 'hub-chunker'), logger: quiet('chunker'), catalogs: hubCatalogs });
    stoppers.push(() => hubChunker.stop());

    const miaEnv = { NATSTER_HOME: home, NATSTER_HUB_DIR: th.dir };
    const natster = async (...args: string[]) =>
      (
        await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/cli/src/main.ts'), ...args], {
          env: { ...process.env, ...miaEnv },
          cwd: REPO_ROOT,
        })
      ).stdout;
    await natster('init', '--name', 'Mia');
    const mia = (JSON.parse(await natster('--json', 'whoami')) as { account: string }).account;

    // Fox signs up through the authority (with an invite: a public hub takes no other signup) and serves `films`
    const foxKey = newAccountKey();
    const admin = await openInviteAdmin(th.dir);
    const invite = await admin.mint({ uses: 1, expiresInMs: 600_000, note: 'Fox' }).finally(() => admin.close());
    await signup({ bootstrapCredsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), url: th.url, accountSeed: foxKey.seed, name: 'Fox', invite: invite.code, ...tls });
    const foxUser = newUserKey();
    const foxCreds = join(th.dir, 'people', 'fox.creds');
    await writeSecret(foxCreds, credsFile(await userJwt({ name: 'fox', user: foxUser.publicKey }, foxKey.seed), foxUser.seed));
    const connections: NatsConnection[] = [];
    const connectFox = async (name: string) => {
      const nc = await connectNatster({ servers: th.url, credsPath: foxCreds, name, ...tls });
      connections.push(nc);
      return nc;
    };
    stoppers.push(() => Promise.allSettled(connections.map((nc) => nc.close())));
    const foxNc = await connectFox('fox');
    const folder = join(th.dir, 'fox-films');
    await mkdir(folder, { recursive: true });
    await options.files(join(th.dir, 'demo'), folder);
    const foxCatalogs = join(th.dir, 'fox-catalogs');
    await createCatalog(foxCatalogs, { name: FOX_CATALOG, description: 'Fox’s films', root: folder });
    let served: ServedCatalog | null = null;
    const foxOnline = async () => {
      served ??= await serveCatalog({ nc: await connectFox('fox-catalog'), chunkerNc: await connectFox('fox-chunker'), account: foxKey.publicKey, dir: foxCatalogs, name: FOX_CATALOG });
    };
    const foxOffline = async () => {
      await served?.stop();
      served = null;
    };
    await foxOnline();
    stoppers.push(foxOffline);

    const portal = await startPortal(th.dir, port, { NATSTER_PORTAL_URL: url, ...options.portalEnv });
    stoppers.push(async () => {
      await writeFile(join(RESULTS, `portal-${port}.log`), portal.log());
      await portal.stop();
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
    });
    stoppers.push(() => browser.close());

    return {
      th,
      portal,
      url,
      browser,
      mia,
      fox: { account: foxKey.publicKey, global: new GlobalClient(foxNc), folder },
      natster,
      miaEnv,
      foxOnline,
      foxOffline,
      stop: () => stopAll(stoppers),
    };
  } catch (error) {
    await stopAll(stoppers);
    throw error;
  }
}

async function stopAll(stoppers: (() => Promise<unknown>)[]): Promise<void> {
  for (const stop of stoppers.reverse()) await stop().catch(() => {});
}

/** Signs `page` in as Mia through a one-time link from `natster login`; returns the link. */
export async function signIn(world: World, page: Page): Promise<string> {
  const reply = JSON.parse(await world.natster('--json', 'login', '--no-open')) as OtcGenerateReply;
  await page.goto(reply.claim_url);
  await page.getByTestId('claim-signin').click();
  await page.waitForURL(`${world.url}/`);
  // hydrated (Next's scripts ran under the page's CSP) and following the live event stream
  await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
  return reply.claim_url;
}

/** The Cookie header of the page's session, for requests made outside the browser. */
export const cookieOf = async (page: Page) => (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
