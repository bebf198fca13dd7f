import { createHash, randomBytes } from 'node:crypto';
import { copyFile, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Response as PwResponse } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTypes, newEvent, type CatalogPage, type OtcGenerateReply } from '@natster/protocol';
import { FOX_CATALOG, RESULTS, cookieOf, startWorld, type World } from './e2e-world';

const VIDEO = 'test-pattern.mp4';
/** A large (sparse) file, to show a seek costs the same however big the file is. */
const BIG = 'big.bin';
const BIG_BYTES = 256 * 1024 * 1024;
const MEDIA_RANGE_BYTES = 64 * 1024;
const rangeStart = (header: string | null) => Number(/^bytes (\d+)-/.exec(header ?? '')?.[1] ?? NaN);
/** Where the Range test seeks to in a file of `size` bytes: 20 % to 80 % of the way in. */
const seekOffsets = (size: number) => Array.from({ length: 7 }, (_, i) => Math.floor(size * (0.2 + i * 0.1)));
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Bytes [offset, offset + length) of a source file; fails (ENOENT names the path) when the file is not where the test put it. */
async function sourceBytes(path: string, offset: number, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(length);
    const { bytesRead } = await file.read(bytes, 0, length, offset);
    return bytes.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

describe('portal end to end: sign in, live shares, streaming with seeking, sign out', () => {
  let world: World;
  let page: Page;
  let claimUrl: string;
  const mediaResponses: PwResponse[] = [];
  const natster = (...args: string[]) => world.natster(...args);
  const shot = (name: string) => page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    world = await startWorld({
      // small media ranges, so the ~0.5 MB demo video streams in many Range requests and a seek needs a new one
      portalEnv: { NATSTER_PORTAL_MEDIA_RANGE_BYTES: String(MEDIA_RANGE_BYTES) },
      files: async (demo, folder) => {
        await copyFile(join(demo, VIDEO), join(folder, VIDEO));
        await writeFile(join(folder, 'notes.txt'), 'Shot on a test pattern generator.\n');
        const big = await open(join(folder, BIG), 'w');
        await big.truncate(BIG_BYTES);
        // random bytes around every seek target (the rest stays sparse zeros): a range served from the wrong offset shows
        for (const offset of seekOffsets(BIG_BYTES)) await big.write(randomBytes(2 * MEDIA_RANGE_BYTES), 0, 2 * MEDIA_RANGE_BYTES, offset - MEDIA_RANGE_BYTES / 2);
        await big.close();
      },
    });
    page = await world.browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('response', (res) => {
      if (res.url().includes('/api/media/')) mediaResponses.push(res);
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('`natster login` gives a one-time link that signs the browser in to its dashboard', async () => {
    const reply = JSON.parse(await natster('--json', 'login', '--no-open')) as OtcGenerateReply;
    claimUrl = reply.claim_url;
    expect(claimUrl).toBe(`${world.portal.url}/login/${reply.code}`);

    // a link preview (a plain GET) must not use up the code
    expect((await fetch(claimUrl)).status).toBe(200);
    await page.goto(claimUrl);
    await shot('00-claim-page');
    await page.getByTestId('claim-signin').click();
    await page.waitForURL(`${world.portal.url}/`);
    await page.getByRole('heading', { name: 'Mia' }).waitFor();
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'natster_session', httpOnly: true, sameSite: 'Lax' })]);
    // the demo catalog every account imports at signup, with its server's status
    await page.getByTestId('shared-hub').filter({ hasText: 'online' }).waitFor();
    await shot('01-dashboard');
  });

  it('the same link used again shows a page that says so and what to do', async () => {
    const other = await world.browser.newPage();
    await other.goto(claimUrl);
    await other.getByTestId('claim-signin').click();
    await other.waitForURL(/\/signin\?problem=expired/);
    expect(await other.getByTestId('signin-problem').textContent()).toMatch(/expired or was already used.*natster login/);
    await other.screenshot({ path: join(RESULTS, '02-reused-code.png') });
    await other.close();
  });

  it('a catalog another account shares appears live; importing it lists it as shared with me', async () => {
    await world.fox.global.putEvent(newEvent(EventTypes.catalogShared, world.fox.account, { target: world.mia, catalog: FOX_CATALOG }));
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

  it('a Range anywhere in a file, small or 256 MiB, answers 206 with exactly the source bytes; past the end 416; Download gives the whole file', async () => {
    const cookie = await cookieOf(page);
    const listing = (await (await fetch(`${world.portal.url}/api/catalogs/films`, { headers: { cookie } })).json()) as CatalogPage;
    // time to first byte is recorded for the benchmark, never asserted here
    const results: Record<string, { file_bytes: number; samples_ms: number[]; median_ms: number }> = {};
    for (const name of [VIDEO, BIG]) {
      const file = listing.entries.find((e) => e.path === name)!;
      const url = `${world.portal.url}/api/media/films/${file.hash}`;
      const samples: number[] = [];
      for (const offset of seekOffsets(file.size)) {
        const started = performance.now();
        const res = await fetch(url, { headers: { cookie, range: `bytes=${offset}-` } });
        const reader = res.body!.getReader();
        const chunks: Uint8Array[] = [];
        for (let next = await reader.read(); !next.done; next = await reader.read()) {
          if (chunks.length === 0) samples.push(performance.now() - started);
          chunks.push(next.value);
        }
        const end = Math.min(file.size, offset + MEDIA_RANGE_BYTES);
        expect(res.status).toBe(206);
        expect(res.headers.get('content-range')).toBe(`bytes ${offset}-${end - 1}/${file.size}`);
        const served = Buffer.concat(chunks);
        expect(served.length, `${name} at ${offset}`).toBe(end - offset);
        expect(sha256(served), `${name} at ${offset}`).toBe(sha256(await sourceBytes(join(world.fox.folder, name), offset, end - offset)));
      }
      samples.sort((a, b) => a - b);
      results[name] = { file_bytes: file.size, samples_ms: samples.map((ms) => Math.round(ms * 10) / 10), median_ms: Math.round(samples[3]! * 10) / 10 };
      const outOfRange = await fetch(url, { headers: { cookie, range: `bytes=${file.size}-` } });
      expect(outOfRange.status).toBe(416);
      expect(outOfRange.headers.get('content-range')).toBe(`bytes */${file.size}`);
    }
    // the Download button: the whole decrypted file, with its name and type
    const notes = listing.entries.find((e) => e.path === 'notes.txt')!;
    const download = await fetch(`${world.portal.url}/api/media/films/${notes.hash}?download=notes.txt`, { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="notes.txt"/);
    expect(download.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await download.text()).toBe('Shot on a test pattern generator.\n');
    const video = listing.entries.find((e) => e.path === VIDEO)!;
    const whole = await fetch(`${world.portal.url}/api/media/films/${video.hash}?download=${VIDEO}`, { headers: { cookie } });
    expect(whole.status).toBe(200);
    expect(sha256(new Uint8Array(await whole.arrayBuffer()))).toBe(sha256(await readFile(join(world.fox.folder, VIDEO))));
    await writeFile(join(RESULTS, 'ttfb-after-seek.json'), JSON.stringify(results, null, 2) + '\n');
    console.log('time to first byte after a seek (ms):', JSON.stringify(results));
  });

  it('without a session cookie, media, imports and the event stream answer 401 and no data', async () => {
    const listing = (await (await fetch(`${world.portal.url}/api/catalogs/films`, { headers: { cookie: await cookieOf(page) } })).json()) as CatalogPage;
    const media = `${world.portal.url}/api/media/films/${listing.entries.find((e) => e.path === VIDEO)!.hash}`;
    const signedOut = [
      () => fetch(media, { headers: { range: 'bytes=0-' } }),
      () => fetch(`${media}?download=${VIDEO}`),
      () => fetch(`${world.portal.url}/api/events`, { headers: { accept: 'text/event-stream' } }),
      // same-origin JSON, so only the missing session can refuse it
      () => fetch(`${world.portal.url}/api/imports`, { method: 'POST', headers: { origin: world.portal.url, 'content-type': 'application/json' }, body: JSON.stringify({ catalog: FOX_CATALOG, owner: world.fox.account }) }),
    ];
    for (const request of signedOut) {
      const res = await request();
      expect(res.status, res.url).toBe(401);
      expect(res.headers.get('content-type'), res.url).toMatch(/^application\/json/);
      expect(((await res.json()) as { error: string }).error).toMatch(/signed out.*natster login/);
    }
  });

  it('signing out ends the session: the cookie is gone and the old session id no longer works', async () => {
    const cookie = await cookieOf(page);
    await page.goto(world.portal.url + '/');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin\?signed_out=1/);
    await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
    await shot('06-signed-out');
    expect(await page.context().cookies()).toEqual([]);
    const replay = await fetch(world.portal.url + '/api/dashboard', { headers: { cookie } });
    expect(replay.status).toBe(401);
    await page.goto(world.portal.url + '/');
    await page.waitForURL(/\/signin$/);
  });
});
