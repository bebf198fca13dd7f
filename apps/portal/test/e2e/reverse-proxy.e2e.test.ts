import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventTypes, newEvent, type OtcGenerateReply } from '@natster/protocol';
import { FOX_CATALOG, RESULTS, cookieOf, startWorld, type World } from './e2e-world';
import { listenHttps, selfSignedCert, startTlsProxy } from './tls-proxy';

/** The proxy's address, as a friend's browser sees the portal; the portal itself stays on 127.0.0.1. */
const PROXY_HOST = '127.0.0.6';
const VIDEO = 'test-pattern.mp4';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Time to the first body byte (or the end of an empty body). */
  ms: number;
  /** The first body chunk, or the whole body with `whole`. */
  bytes: Buffer;
}

/** One request with node's own client (any Host header, no cookie jar): status, headers, time to first byte. */
function send(url: string, options: { method?: string; headers: Record<string, string>; ca?: string; whole?: boolean }): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // the certificate names the URL's host, whatever Host header the request carries
    const tls = options.ca ? { ca: options.ca, checkServerIdentity: (_host: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(new URL(url).hostname, cert) } : {};
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(url, { method: options.method ?? 'GET', headers: options.headers, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      let ms = 0;
      const done = () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, ms: ms || performance.now() - started, bytes: Buffer.concat(chunks) });
        req.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        ms ||= performance.now() - started;
        chunks.push(chunk);
        if (!options.whole) done();
      });
      res.once('end', done);
    });
    req.on('error', reject);
    req.end();
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

describe('portal behind a TLS-terminating reverse proxy (https://127.0.0.6)', () => {
  let world: World;
  let page: Page;
  let tls: { cert: string; key: string };
  let hash: string;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    tls = await selfSignedCert([PROXY_HOST]);
    world = await startWorld({
      front: (portalUrl) => startTlsProxy(PROXY_HOST, tls, portalUrl),
      files: async (demo, folder) => copyFile(join(demo, VIDEO), join(folder, VIDEO)),
    });
    hash = createHash('sha256').update(await readFile(join(world.fox.folder, VIDEO))).digest('hex');
    const context = await world.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await writeFile(join(RESULTS, 'reverse-proxy-figures.json'), JSON.stringify(figures, null, 2) + '\n').catch(() => {});
    await world?.stop();
  });

  it('`natster login` links to the public https URL; signing in there lands on the dashboard with a Secure session cookie', async () => {
    const reply = JSON.parse(await world.natster('--json', 'login', '--no-open')) as OtcGenerateReply;
    expect(reply.claim_url).toBe(`${world.url}/login/${reply.code}`);
    await page.goto(reply.claim_url);
    await page.getByTestId('claim-signin').click();
    // the portal's 303 is relative: the browser stays on the proxy's origin
    await page.waitForURL(`${world.url}/`);
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    // the proxy sends no X-Forwarded-Proto: Secure comes from the portal URL alone
    expect(await page.context().cookies()).toEqual([expect.objectContaining({ name: 'natster_session', secure: true, httpOnly: true, sameSite: 'Lax' })]);
  });

  it('a share appears live through the proxy, and importing it (a same-origin post checked against the public URL) works', async () => {
    await world.fox.global.putEvent(newEvent(EventTypes.catalogShared, world.fox.account, { target: world.mia, catalog: FOX_CATALOG }));
    const pending = page.getByTestId(`pending-${FOX_CATALOG}`);
    await pending.waitFor({ timeout: 10_000 });
    await pending.getByRole('button', { name: 'Import' }).click();
    await page.getByTestId(`shared-${FOX_CATALOG}`).getByText('online').waitFor({ timeout: 15_000 });
  });

  it('media through the proxy: Range bytes=0-99 answers 206 with those bytes, and the video plays', async () => {
    const onDisk = await readFile(join(world.fox.folder, VIDEO));
    await page.goto(`${world.url}/catalogs/${FOX_CATALOG}/files/${hash}?path=${VIDEO}`);
    const range = await page.evaluate(async (url) => {
      const res = await fetch(url, { headers: { Range: 'bytes=0-99' } });
      return { status: res.status, contentRange: res.headers.get('content-range'), bytes: [...new Uint8Array(await res.arrayBuffer())] };
    }, `/api/media/${FOX_CATALOG}/${hash}`);
    expect(range).toEqual({ status: 206, contentRange: `bytes 0-99/${onDisk.length}`, bytes: [...onDisk.subarray(0, 100)] });

    await page.locator('video').evaluate((v: HTMLVideoElement) => void v.play());
    await page.waitForFunction(() => (document.querySelector('video')?.currentTime ?? 0) > 0.5, undefined, { timeout: 20_000 });
    expect(await page.locator('video').evaluate((v: HTMLVideoElement) => v.error)).toBeNull();
  });

  it('redirects and pages never point at the Host or X-Forwarded-Host a request names', async () => {
    const spoofed = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
    const claim = await send(`${world.url}/login/x/claim`, { method: 'POST', headers: { ...spoofed, origin: world.url }, ca: tls.cert });
    expect(claim.status).toBe(303);
    expect(claim.headers.location).toBe('/signin?problem=invalid');
    const signedOut = await send(`${world.url}/`, { headers: spoofed, ca: tls.cert, whole: true });
    expect(signedOut.bytes.toString()).toContain('/signin');
    expect(signedOut.bytes.toString()).not.toContain('evil.example');
  });

  it('time to first media byte: through the proxy and direct, alternating, in the same run', async () => {
    const cookie = await cookieOf(page);
    const size = (await readFile(join(world.fox.folder, VIDEO))).length;
    const samples = { proxied: [] as number[], direct: [] as number[] };
    for (let i = 0; i < 7; i++) {
      const range = `bytes=${Math.floor(size * (0.2 + i * 0.1))}-`;
      const proxied = await send(`${world.url}/api/media/${FOX_CATALOG}/${hash}`, { headers: { cookie, range }, ca: tls.cert });
      const direct = await send(`${world.portal.url}/api/media/${FOX_CATALOG}/${hash}`, { headers: { cookie, range } });
      expect([proxied.status, direct.status]).toEqual([206, 206]);
      expect(proxied.bytes.subarray(0, 16)).toEqual(direct.bytes.subarray(0, 16));
      samples.proxied.push(round(proxied.ms));
      samples.direct.push(round(direct.ms));
    }
    figures.first_media_byte_ms = { proxied: { samples: samples.proxied, median: median(samples.proxied) }, direct: { samples: samples.direct, median: median(samples.direct) } };
  });

  describe('cross-origin requests through the proxy', () => {
    let attacker: { url: string; stop(): Promise<void> };
    const refusals: { url: string; status: number }[] = [];

    beforeAll(async () => {
      // same host, another port: the same site, so the browser DOES send the session cookie; only the Origin check stands
      const hostile = `<!doctype html><html><body><form id="signout" method="post" action="${world.url}/signout"></form>
<script>window.importShare = () => fetch('${world.url}/api/imports', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' });</script></body></html>`;
      attacker = await listenHttps(PROXY_HOST, tls, (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(hostile));
      page.on('response', (r) => {
        if (r.url().startsWith(world.url) && r.request().method() === 'POST') refusals.push({ url: r.url(), status: r.status() });
      });
    });

    afterAll(() => attacker?.stop());

    it('a page on another origin cannot import or sign the browser out, though its posts carry the cookie', async () => {
      const cookie = await cookieOf(page);
      await page.goto(`${attacker.url}/`);
      await page.evaluate(() => (window as unknown as { importShare(): Promise<unknown> }).importShare());
      await expect.poll(() => refusals.find((r) => r.url.endsWith('/api/imports'))?.status, { timeout: 10_000 }).toBe(403);
      await page.evaluate(() => (document.getElementById('signout') as HTMLFormElement).submit());
      await expect.poll(() => refusals.find((r) => r.url.endsWith('/signout'))?.status, { timeout: 10_000 }).toBe(403);

      // still signed in, with the same session
      expect(await cookieOf(page)).toBe(cookie);
      await page.goto(`${world.url}/`);
      await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    });
  });
});
