import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page, type Response as PwResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credsFile, newAccountKey, newUserKey, userJwt } from '@natster/claims';
import { GlobalClient, signup } from '@natster/client';
import { HubAccounts, credsPath, writeSecret } from '@natster/hub';
import { connectNatster, createLogger, type NatsConnection } from '@natster/nats';
import { EventTypes, newEvent, type OtcGenerateReply } from '@natster/protocol';
import { freePort, startTestHub, type TestHub } from '@natster/testing';
import { startAuthority, type Authority } from '@natster/accounts';
import { createCatalog, startCatalogServer, startHubCatalog, type CatalogServer } from '@natster/catalog';
import { startChunker, type Chunker } from '@natster/chunker';
import { startGlobal, type GlobalHandle } from '@natster/global';
import { PORTAL_DIR, REPO_ROOT, ensureBuilt, startPortal, type PortalProcess } from './portal-process';

const run = promisify(execFile);
const quiet = (service: string) => createLogger(service, { level: 'error' });
const RESULTS = join(PORTAL_DIR, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIDEO = 'test-pattern.mp4';

describe('portal end to end: sign in, live shares, streaming with seeking, sign out', () => {
  let th: TestHub;
  let home: string;
  let global: GlobalHandle;
  let authority: Authority;
  const servers: CatalogServer[] = [];
  const chunkers: Chunker[] = [];
  const connections: NatsConnection[] = [];
  let fox: { account: string; global: GlobalClient };
  let mia: string;
  let portal: PortalProcess;
  let browser: Browser;
  let page: Page;
  let claimUrl: string;
  const mediaResponses: PwResponse[] = [];

  /** The real `natster` CLI, as Mia, in her own NATSTER_HOME. */
  const natster = async (...args: string[]) =>
    (
      await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'apps/cli/src/main.ts'), ...args], {
        env: { ...process.env, NATSTER_HOME: home, NATSTER_HUB_DIR: th.dir },
        cwd: REPO_ROOT,
      })
    ).stdout;

  const shot = (name: string) => page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    ensureBuilt();
    await mkdir(RESULTS, { recursive: true });
    th = await startTestHub();
    home = await mkdtemp(join(tmpdir(), 'natster-home-'));
    const info = th.hub.info;
    const port = await freePort();

    global = await startGlobal({
      nc: await th.connectAs(HubAccounts.global),
      portalUrl: `http://127.0.0.1:${port}`,
      portalAccount: info.accounts.PORTAL,
      authorityAccount: info.accounts.AUTHORITY,
      dataKey: randomBytes(32),
      heartbeatPeriodMs: 500,
      logger: quiet('global'),
    });
    authority = await startAuthority({ hubDir: th.dir, logger: quiet('accounts') });

    // the hub's demo catalog (generates the demo video with ffmpeg) and its chunker
    const hubNc = await th.connectAs(HubAccounts.hub, 'hub-catalog');
    servers.push(await startHubCatalog({ nc: hubNc, account: info.accounts.HUB, hubDir: th.dir, global: new GlobalClient(hubNc), logger: quiet('catalog'), heartbeatMs: 500 }));
    chunkers.push(await startChunker({ nc: await th.connectAs(HubAccounts.hub, 'hub-chunker'), logger: quiet('chunker') }));

    // Mia signs up with the real CLI
    await natster('init', '--name', 'Mia');
    mia = (JSON.parse(await natster('--json', 'whoami')) as { account: string }).account;

    // Fox signs up and serves a catalog "films" holding the demo video
    const foxKey = newAccountKey();
    await signup({ bootstrapCredsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), url: th.url, accountSeed: foxKey.seed, name: 'Fox' });
    const foxUser = newUserKey();
    const foxCreds = join(th.dir, 'people', 'fox.creds');
    await writeSecret(foxCreds, credsFile(await userJwt({ name: 'fox', user: foxUser.publicKey }, foxKey.seed), foxUser.seed));
    const foxNc = await connectNatster({ servers: th.url, credsPath: foxCreds, name: 'fox' });
    const foxChunkerNc = await connectNatster({ servers: th.url, credsPath: foxCreds, name: 'fox-chunker' });
    connections.push(foxNc, foxChunkerNc);
    fox = { account: foxKey.publicKey, global: new GlobalClient(foxNc) };
    const films = join(th.dir, 'fox-films');
    await mkdir(films, { recursive: true });
    await copyFile(join(th.dir, 'demo', VIDEO), join(films, VIDEO));
    await writeFile(join(films, 'notes.txt'), 'Shot on a test pattern generator.\n');
    const { store } = await createCatalog(join(th.dir, 'fox-catalogs'), { name: 'films', description: 'Fox’s films', root: films });
    servers.push(await startCatalogServer({ nc: foxNc, account: fox.account, catalogs: [store], global: fox.global, logger: quiet('catalog'), heartbeatMs: 500 }));
    chunkers.push(await startChunker({ nc: foxChunkerNc, logger: quiet('chunker') }));

    portal = await startPortal(th.dir, port);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('response', (res) => {
      if (res.url().includes('/api/media/')) mediaResponses.push(res);
    });
  });

  afterAll(async () => {
    if (portal) await writeFile(join(RESULTS, 'portal.log'), portal.log());
    await browser?.close();
    await portal?.stop();
    await Promise.allSettled(servers.map((s) => s.stop()));
    await Promise.allSettled(chunkers.map((c) => c.stop()));
    await Promise.allSettled(connections.map((nc) => nc.close()));
    await authority?.stop();
    await global?.stop();
    await th?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('`natster login` gives a one-time link that signs the browser in to its dashboard', async () => {
    const reply = JSON.parse(await natster('--json', 'login', '--no-open')) as OtcGenerateReply;
    claimUrl = reply.claim_url;
    expect(claimUrl).toBe(`${portal.url}/login/${reply.code}`);

    await page.goto(claimUrl);
    await page.waitForURL(`${portal.url}/`);
    await page.getByRole('heading', { name: 'Mia' }).waitFor();
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'natster_session', httpOnly: true, sameSite: 'Lax' })]);
    expect(await page.getByTestId('shared-hub').textContent()).toContain('hub');
    await shot('01-dashboard');
  });

  it('the same link used again shows a page that says so and what to do', async () => {
    const other = await browser.newPage();
    await other.goto(claimUrl);
    await other.waitForURL(/\/signin\?problem=expired/);
    expect(await other.getByTestId('signin-problem').textContent()).toMatch(/expired or was already used.*natster login/);
    await other.screenshot({ path: join(RESULTS, '02-reused-code.png') });
    await other.close();
  });

  it('a catalog another account shares appears live; importing it lists it as shared with me', async () => {
    await fox.global.putEvent(newEvent(EventTypes.catalogShared, fox.account, { target: mia, catalog: 'films' }));
    const pending = page.getByTestId('pending-films');
    await pending.waitFor({ timeout: 10_000 });
    await shot('03-share-arrived');
    await pending.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId('shared-films').waitFor({ timeout: 10_000 });
    await page.getByTestId('shared-films').getByText('online').waitFor({ timeout: 10_000 });
  });

  it('the catalog opens, and its video plays, seeks through a Range request (206), and plays on from there', async () => {
    await page.getByTestId('shared-films').getByRole('link', { name: 'films' }).click();
    await page.waitForURL(/\/catalogs\/films/);
    await page.getByTestId('file-row').filter({ hasText: VIDEO }).waitFor();
    expect(await page.getByTestId('file-count').textContent()).toBe('2 files');
    await shot('04-catalog');

    await page.getByRole('link', { name: VIDEO }).click();
    await page.waitForURL(/\/files\//);
    const video = page.locator('video');
    await video.waitFor();
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 2, undefined, { timeout: 20_000 });
    await video.evaluate((v: HTMLVideoElement) => v.play());
    await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 0.5, undefined, { timeout: 20_000 });

    const before = mediaResponses.length;
    await video.evaluate((v: HTMLVideoElement) => (v.currentTime = 7));
    await page.waitForFunction(() => {
      const v = document.querySelector('video');
      return !!v && !v.seeking && v.currentTime > 7.3 && !v.paused;
    }, undefined, { timeout: 20_000 });
    await shot('05-playing-after-seek');

    const partial = mediaResponses.filter((r) => r.status() === 206);
    expect(partial.length).toBeGreaterThan(0);
    const header = await partial[0]!.headerValue('content-range');
    expect(header).toMatch(/^bytes \d+-\d+\/\d+$/);
    expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
    // the seek itself was answered from a new Range (or from what was already buffered)
    expect(mediaResponses.length).toBeGreaterThanOrEqual(before);
  });

  it('a Range request in the middle of the video answers 206 quickly (time to first byte after a seek)', async () => {
    const src = await page.locator('video').getAttribute('src');
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const head = await fetch(portal.url + src, { method: 'HEAD', headers: { cookie } });
    const size = Number(head.headers.get('content-length'));
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const offset = Math.floor(size * (0.3 + i * 0.1));
      const started = performance.now();
      const res = await fetch(portal.url + src, { headers: { cookie, range: `bytes=${offset}-` } });
      const reader = res.body!.getReader();
      await reader.read();
      samples.push(performance.now() - started);
      await reader.cancel();
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toMatch(new RegExp(`^bytes ${offset}-\\d+/${size}$`));
    }
    samples.sort((a, b) => a - b);
    const result = { file_bytes: size, samples_ms: samples.map((s) => Math.round(s * 10) / 10), median_ms: Math.round(samples[2]! * 10) / 10 };
    await writeFile(join(RESULTS, 'ttfb-after-seek.json'), JSON.stringify(result, null, 2) + '\n');
    console.log('time to first byte after a seek (ms):', result);
    const outOfRange = await fetch(portal.url + src, { headers: { cookie, range: `bytes=${size}-` } });
    expect(outOfRange.status).toBe(416);
  });

  it('signing out ends the session: the cookie is gone and the old session id no longer works', async () => {
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await page.goto(portal.url + '/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin\?signed_out=1/);
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await shot('06-signed-out');
    expect(await page.context().cookies()).toEqual([]);
    const replay = await fetch(portal.url + '/api/dashboard', { headers: { cookie } });
    expect(replay.status).toBe(401);
    await page.goto(portal.url + '/');
    await page.waitForURL(/\/signin$/);
  });
});
