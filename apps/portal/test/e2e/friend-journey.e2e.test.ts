import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtcGenerateReply } from '@natster/protocol';
import { until } from '../../../cli/test/platform';
import { json, runCli } from '../../../cli/test/run-cli';
import { startBackgroundCli, type BackgroundCli } from '../../../cli/test/shared-catalog';
import { startWorld, type World } from './e2e-world';
import { selfSignedCert, startTlsProxy } from './tls-proxy';

/** Other machines, emulated by loopback addresses: the hub's public address and the owner's reverse proxy. */
const HUB_HOST = '127.0.0.8';
const PROXY_HOST = '127.0.0.9';
const CATALOG = 'holiday';
const FILE = 'holiday.bin';
const SIZE = 64 * 1024 * 1024;

interface ListedCatalog {
  catalog: string;
  alias: string | null;
  imported: boolean;
  online: boolean;
}

/**
 * Issue 14's whole journey across machines: Mia owns a public hub (TLS with its
 * own CA, invite-only) and a reverse proxy in front of its portal; her friend
 * has nothing of the hub's but the invite line she pastes.
 */
describe(`a friend joins a public hub (${HUB_HOST}) with only an invite line, downloads a shared file and plays it through the proxy (${PROXY_HOST})`, () => {
  let world: World;
  let tmp: string;
  let friend: Record<string, string>;
  let serving: BackgroundCli | undefined;
  let bytes: Buffer;
  let hash: string;
  let page: Page;

  beforeAll(async () => {
    expect(process.env.NATSTER_HUB_DIR).toBeUndefined();
    const tls = await selfSignedCert([PROXY_HOST]);
    world = await startWorld({ publicHosts: [HUB_HOST], front: (portalUrl) => startTlsProxy(PROXY_HOST, tls, portalUrl), files: async () => {} });
    tmp = await mkdtemp(join(tmpdir(), 'natster-journey-'));
    friend = { NATSTER_HOME: join(tmp, 'friend') };
    bytes = randomBytes(SIZE);
    hash = createHash('sha256').update(bytes).digest('hex');
    await mkdir(join(tmp, 'media'));
    await writeFile(join(tmp, 'media', FILE), bytes);
    page = await (await world.browser.newContext({ ignoreHTTPSErrors: true })).newPage();
  });

  afterAll(async () => {
    serving?.child.kill('SIGTERM');
    await serving?.exited;
    await world?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('invite line → init → share → import → ls → a 64 MiB download whose sha256 matches the owner’s file', async () => {
    const { line } = JSON.parse(await world.natster('hub', 'invite', '--note', 'for Friend', '--json')) as { line: string };
    const joined = json<{ account: string; hub_url: string }>(await runCli(['init', '--invite', line, '--name', 'Friend', '--json'], friend));
    // the friend dials the hub's public address, over TLS pinned to the CA the line carried
    expect(joined.hub_url).toMatch(new RegExp(`^tls://${HUB_HOST.replaceAll('.', '\\.')}:\\d+$`));
    // and keeps the portal's public URL (the proxy's) that the line carried, not the portal's loopback address
    expect(JSON.parse(await readFile(join(friend.NATSTER_HOME!, 'contexts', 'default.json'), 'utf8'))).toMatchObject({ portal_url: world.url });

    await world.natster('catalog', 'new', CATALOG, 'Holiday', join(tmp, 'media'));
    await world.natster('catalog', 'share', CATALOG, joined.account);
    serving = startBackgroundCli(['catalog', 'serve', CATALOG], { ...world.miaEnv, NATSTER_LOG_LEVEL: 'warn' });
    await serving.waitFor(new RegExp(`serving ${CATALOG}`), 60_000);

    await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.code === 0 && r.stdout.includes(`"${CATALOG}"`));
    expect(json<{ alias: string }>(await runCli(['catalog', 'inbox', '--import', CATALOG, '--json'], friend)).alias).toBe(CATALOG);
    const ls = await until(
      () => runCli(['catalog', 'ls', '--json'], friend),
      (r) => r.code === 0 && json<ListedCatalog[]>(r).some((c) => c.catalog === CATALOG && c.online),
    );
    expect(json<ListedCatalog[]>(ls)).toContainEqual(expect.objectContaining({ catalog: CATALOG, alias: CATALOG, imported: true, online: true }));
    const contents = json<{ entries: { path: string; size: number; hash: string }[] }>(await runCli(['catalog', 'contents', CATALOG, '--json'], friend));
    expect(contents.entries).toEqual([expect.objectContaining({ path: FILE, size: SIZE, hash })]);

    const out = join(tmp, 'downloaded.bin');
    const download = await runCli(['catalog', 'download', CATALOG, FILE, out, '--json'], friend, 120_000);
    expect(download.code, download.stderr).toBe(0);
    expect(createHash('sha256').update(await readFile(out)).digest('hex')).toBe(hash);
  }, 240_000);

  it('`natster login` prints the proxy’s https URL; the browser signs in there, sees the catalog online, and a Range request through the proxy answers 206 with the file’s bytes', async () => {
    const login = json<OtcGenerateReply>(await runCli(['login', '--no-open', '--json'], friend));
    expect(world.url).toMatch(new RegExp(`^https://${PROXY_HOST.replaceAll('.', '\\.')}:\\d+$`));
    expect(login.claim_url).toBe(`${world.url}/login/${login.code}`);
    await page.goto(login.claim_url);
    await page.getByTestId('claim-signin').click();
    await page.waitForURL(`${world.url}/`);
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor({ timeout: 15_000 });
    await page.getByTestId(`shared-${CATALOG}`).getByText('online').waitFor({ timeout: 15_000 });

    const fetchRange = (range: string) =>
      page.evaluate(
        async ({ url, range }) => {
          const res = await fetch(url, { headers: { Range: range } });
          const body = new Uint8Array(await res.arrayBuffer());
          return { status: res.status, contentRange: res.headers.get('content-range'), hex: Array.from(body, (b) => b.toString(16).padStart(2, '0')).join('') };
        },
        { url: `/api/media/${CATALOG}/${hash}`, range },
      );
    const start = 40_000_000;
    for (const [from, to] of [[0, 1024 * 1024 - 1], [start, start + 65_535]] as const) {
      expect(await fetchRange(`bytes=${from}-${to}`)).toEqual({ status: 206, contentRange: `bytes ${from}-${to}/${SIZE}`, hex: bytes.subarray(from, to + 1).toString('hex') });
    }
  });
});
