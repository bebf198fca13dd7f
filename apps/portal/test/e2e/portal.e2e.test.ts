import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page, type Response as PwResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credsFile, newAccountKey, newUserKey, userJwt } from '@natster/claims';
import { GlobalClient, signup } from '@natster/client';
import { HubAccounts, credsPath, writeSecret } from '@natster/hub';
import { connectNatster, createLogger, type NatsConnection } from '@natster/nats';
import { EventTypes, newEvent, type CatalogPage, type OtcGenerateReply } from '@natster/protocol';
import { freePort, startTestHub, type TestHub } from '@natster/testing';
import { startAuthority, type Authority } from '@natster/accounts';
import { createCatalog, startCatalogServer, startHubCatalog, type CatalogServer } from '@natster/catalog';
import { startChunker, type Chunker } from '@natster/chunker';
import { startGlobal, type GlobalHandle } from '@natster/global';
import { ensureBuilt } from '../../scripts/ensure-built';
import { PORTAL_DIR, REPO_ROOT, startPortal, type PortalProcess } from './portal-process';

const run = promisify(execFile);
const quiet = (service: string) => createLogger(service, { level: 'error' });
const RESULTS = join(PORTAL_DIR, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIDEO = 'test-pattern.mp4';
/** A large (sparse) file, to show a seek costs the same however big the file is. */
const BIG = 'big.bin';
const BIG_BYTES = 256 * 1024 * 1024;
const MEDIA_RANGE_BYTES = 64 * 1024;
const rangeStart = (header: string | null) => Number(/^bytes (\d+)-/.exec(header ?? '')?.[1] ?? NaN);

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
    const big = await open(join(films, BIG), 'w');
    await big.truncate(BIG_BYTES);
    await big.close();
    const { store } = await createCatalog(join(th.dir, 'fox-catalogs'), { name: 'films', description: 'Fox’s films', root: films });
    servers.push(await startCatalogServer({ nc: foxNc, account: fox.account, catalogs: [store], global: fox.global, logger: quiet('catalog'), heartbeatMs: 500 }));
    chunkers.push(await startChunker({ nc: foxChunkerNc, logger: quiet('chunker') }));

    // small media ranges, so the ~0.5 MB demo video streams in many Range requests and a seek needs a new one
    portal = await startPortal(th.dir, port, { NATSTER_PORTAL_MEDIA_RANGE_BYTES: String(MEDIA_RANGE_BYTES) });
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

    // a link preview (a plain GET) must not use up the code
    expect((await fetch(claimUrl)).status).toBe(200);
    await page.goto(claimUrl);
    await shot('00-claim-page');
    await page.getByTestId('claim-signin').click();
    await page.waitForURL(`${portal.url}/`);
    await page.getByRole('heading', { name: 'Mia' }).waitFor();
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'natster_session', httpOnly: true, sameSite: 'Lax' })]);
    // the demo catalog every account imports at signup, with its server's status
    await page.getByTestId('shared-hub').filter({ hasText: 'online' }).waitFor();
    await shot('01-dashboard');
  });

  it('the same link used again shows a page that says so and what to do', async () => {
    const other = await browser.newPage();
    await other.goto(claimUrl);
    await other.getByTestId('claim-signin').click();
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
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('03b-dashboard-phone');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('the catalog opens, and its video plays, seeks through a Range request (206), and plays on from there', async () => {
    await page.getByTestId('shared-films').getByRole('link', { name: 'films' }).click();
    await page.waitForURL(/\/catalogs\/films/);
    await page.getByTestId('file-row').filter({ hasText: VIDEO }).waitFor();
    expect(await page.getByTestId('file-count').textContent()).toBe('3 files');
    await shot('04-catalog');

    await page.getByRole('link', { name: VIDEO, exact: true }).click();
    await page.waitForURL(/\/files\//);
    const video = page.locator('video');
    await video.waitFor();
    const playing = (from: number, to: number) =>
      page.waitForFunction(
        ([a, b]) => {
          const v = document.querySelector('video');
          return !!v && !v.seeking && !v.paused && v.currentTime > a! && v.currentTime < b!;
        },
        [from, to],
        { timeout: 20_000 },
      );
    // preload=metadata: only the start of the file has been fetched
    await page.waitForFunction(() => (document.querySelector('video')?.readyState ?? 0) >= 1, undefined, { timeout: 20_000 });
    const beforeSeek = mediaResponses.length;

    // seek into the last third: the browser asks the portal for a Range there, and plays on from it
    await video.evaluate((v: HTMLVideoElement) => {
      v.currentTime = 7;
      void v.play();
    });
    await playing(7.3, 10);
    const size = Number((await mediaResponses[0]!.headerValue('content-range'))?.split('/')[1]);
    const seekRanges = await Promise.all(mediaResponses.slice(beforeSeek).map((r) => r.headerValue('content-range')));
    expect(seekRanges.some((h) => rangeStart(h) > size * 0.4)).toBe(true);
    await shot('05-playing-after-seek');

    // and back, while playing: it plays from the new position again
    await video.evaluate((v: HTMLVideoElement) => (v.currentTime = 2));
    await playing(2.2, 5);
    expect(await video.evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
    // every media response was a 206 of one capped range
    expect(mediaResponses.length).toBeGreaterThan(1);
    expect(mediaResponses.every((r) => r.status() === 206)).toBe(true);
  });

  it('a Range request in the middle of a file answers 206 with the right bytes, quickly (time to first byte after a seek)', async () => {
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const listing = (await (await fetch(`${portal.url}/api/catalogs/films`, { headers: { cookie } })).json()) as CatalogPage;
    const results: Record<string, { file_bytes: number; samples_ms: number[]; median_ms: number }> = {};
    for (const name of [VIDEO, BIG]) {
      const file = listing.entries.find((e) => e.path === name)!;
      const url = `${portal.url}/api/media/films/${file.hash}`;
      const onDisk = name === VIDEO ? await readFile(join(th.dir, 'fox-films', VIDEO)) : null;
      const samples: number[] = [];
      for (let i = 0; i < 7; i++) {
        const offset = Math.floor(file.size * (0.2 + i * 0.1));
        const started = performance.now();
        const res = await fetch(url, { headers: { cookie, range: `bytes=${offset}-` } });
        const reader = res.body!.getReader();
        const { value } = await reader.read();
        samples.push(performance.now() - started);
        await reader.cancel();
        expect(res.status).toBe(206);
        expect(res.headers.get('content-range')).toBe(`bytes ${offset}-${Math.min(file.size, offset + MEDIA_RANGE_BYTES) - 1}/${file.size}`);
        if (onDisk) expect(Buffer.from(value!)).toEqual(onDisk.subarray(offset, offset + value!.length));
      }
      samples.sort((a, b) => a - b);
      results[name] = { file_bytes: file.size, samples_ms: samples.map((ms) => Math.round(ms * 10) / 10), median_ms: Math.round(samples[3]! * 10) / 10 };
      const outOfRange = await fetch(url, { headers: { cookie, range: `bytes=${file.size}-` } });
      expect(outOfRange.status).toBe(416);
      expect(outOfRange.headers.get('content-range')).toBe(`bytes */${file.size}`);
    }
    // the Download button: the whole decrypted file, with its name and type
    const notes = listing.entries.find((e) => e.path === 'notes.txt')!;
    const download = await fetch(`${portal.url}/api/media/films/${notes.hash}?download=notes.txt`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.txt"/);
    expect(download.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await download.text()).toBe('Shot on a test pattern generator.\n');
    await writeFile(join(RESULTS, 'ttfb-after-seek.json'), JSON.stringify(results, null, 2) + '\n');
    console.log('time to first byte after a seek (ms):', JSON.stringify(results));
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
