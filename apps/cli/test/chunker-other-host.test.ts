import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NatsterContext } from '@natster/context';
import { startPlatform, until, type Platform } from './platform';
import { json, runCli } from './run-cli';
import { startBackgroundCli, type BackgroundCli } from './shared-catalog';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const DOWNLOADS = 12;
const PUBLIC_HOST = '127.0.0.10';

/**
 * One owner, two of their hosts, one public TLS hub (127.0.0.10): the
 * "laptop" (next to the hub) runs `catalog serve films` with its own chunker;
 * the "NAS" (another NATSTER_HOME, no hub dir) gets the owner's context the
 * way a user would (`context export` → `context import`), dials the hub's
 * public address over TLS and runs `natster chunker --catalog films --root DIR`
 * in three situations. Whatever the NAS has, every friend download completes
 * and verifies; with an identical copy the NAS sends some of them.
 */
describe('chunkers on other hosts', () => {
  let platform: Platform;
  let tmp: string;
  let laptop: Record<string, string>;
  let nas: Record<string, string>;
  let friend: Record<string, string>;
  let exportFile: string;
  const files = new Map<string, Buffer>();
  const chunkers: BackgroundCli[] = [];
  let serving: ChildProcess;

  const laptopMedia = () => join(tmp, 'laptop-media');
  const nasMedia = () => join(tmp, 'nas-mount', 'films');
  const addFile = async (name: string, size: number) => {
    const bytes = randomBytes(size);
    files.set(name, bytes);
    await writeFile(join(laptopMedia(), name), bytes);
  };

  /** N friend downloads at once, spread over the catalog's files: all must complete and verify. */
  async function downloadAll(round: string): Promise<void> {
    const names = [...files.keys()];
    const jobs = Array.from({ length: DOWNLOADS }, (_, i) => {
      const name = names[i % names.length]!;
      const out = join(tmp, `${round}-${i}-${name}`);
      return runCli(['catalog', 'download', 'films', name, out, '--json'], friend, 120_000).then((r) => ({ r, name, out }));
    });
    for (const { r, name, out } of await Promise.all(jobs)) {
      expect(r.code, `${round} ${name}: ${r.stderr}`).toBe(0);
      expect(json<{ sha256: string }>(r).sha256).toBe(sha256(files.get(name)!));
      expect(Buffer.compare(await readFile(out), files.get(name)!)).toBe(0);
    }
  }

  const transfersSent = (chunker: BackgroundCli) => chunker.stderr().split('\n').filter((l) => l.includes('"transfer started"')).length;

  beforeAll(async () => {
    expect(process.env.NATSTER_HUB_DIR).toBeUndefined();
    platform = await startPlatform({ publicHosts: [PUBLIC_HOST] });
    tmp = await mkdtemp(join(tmpdir(), 'natster-cli-other-host-'));
    laptop = { NATSTER_HOME: join(tmp, 'laptop'), NATSTER_HUB_DIR: platform.th.dir, NATSTER_LOG_LEVEL: 'warn' };
    nas = { NATSTER_HOME: join(tmp, 'nas') };
    friend = { NATSTER_HOME: join(tmp, 'friend'), NATSTER_HUB_DIR: platform.th.dir };
    exportFile = join(tmp, 'owner.natster');
    await mkdir(laptopMedia(), { recursive: true });
    await addFile('a.bin', 3 * 1024 * 1024);
    await addFile('b.bin', 700 * 1024);
    json(await runCli(['init', '--name', 'Owner', '--json'], laptop));
    const friendKey = json<{ account: string }>(await runCli(['init', '--name', 'Friend', '--json'], friend)).account;
    json(await runCli(['catalog', 'new', 'films', 'Films', laptopMedia(), '--json'], laptop));
    expect((await runCli(['catalog', 'share', 'films', friendKey], laptop)).code).toBe(0);
    serving = await platform.startCli(['catalog', 'serve', 'films', '--threads', '1'], laptop, /serving films/);
    await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.stdout.includes('films'));
    expect((await runCli(['catalog', 'inbox', '--import', 'films'], friend)).code).toBe(0);
    await until(() => runCli(['catalog', 'contents', 'films', '--json'], friend), (r) => r.code === 0);

    // the owner's context and catalog reach the NAS as one 0600 file, without the account seed
    const exported = json<{ hub_url: string; catalogs: string[] }>(await runCli(['context', 'export', '--out', exportFile, '--json'], laptop));
    expect(exported).toMatchObject({ hub_url: expect.stringContaining(`tls://${PUBLIC_HOST}:`), catalogs: ['films'] });
    expect((await stat(exportFile)).mode & 0o777).toBe(0o600);
    const laptopContext = JSON.parse(await readFile(join(laptop.NATSTER_HOME!, 'contexts', 'default.json'), 'utf8')) as NatsterContext;
    const seed = (await readFile(laptopContext.account_seed_path, 'utf8')).trim();
    expect(await readFile(exportFile, 'utf8')).not.toContain(seed);
    const imported = json<{ hub_url: string }>(await runCli(['context', 'import', exportFile, '--json'], nas));
    expect(imported.hub_url).toBe(exported.hub_url);
    const nasContext = JSON.parse(await readFile(join(nas.NATSTER_HOME!, 'contexts', 'default.json'), 'utf8')) as NatsterContext;
    expect(nasContext.ca_path?.startsWith(nas.NATSTER_HOME!)).toBe(true);
    expect((await stat(nasContext.creds_path)).mode & 0o777).toBe(0o600);
    expect(nasContext.hub_dir).toBeUndefined();
  }, 240_000);

  afterAll(async () => {
    for (const c of chunkers) if (c.child.exitCode === null) c.child.kill('SIGTERM');
    await Promise.all(chunkers.map((c) => c.exited));
    await platform?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('the NAS without the catalog’s folder refuses to serve it, saying why; downloads all complete through the laptop', async () => {
    const chunker = startBackgroundCli(['chunker', '--catalog', 'films', '--root', nasMedia(), '--threads', '1'], nas);
    chunkers.push(chunker);
    const result = await chunker.exited;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot serve catalog films here: its folder .*nas-mount.* is missing here/);
    await downloadAll('missing');
  }, 180_000);

  it('the NAS with a stale copy of films (other content) takes no download; all complete through the laptop', async () => {
    // the NAS mirrors the files as they were when the catalog was exported…
    await mkdir(nasMedia(), { recursive: true });
    await cp(laptopMedia(), nasMedia(), { recursive: true });
    const chunker = startBackgroundCli(['chunker', '--catalog', 'films', '--root', nasMedia(), '--threads', '1'], nas);
    chunkers.push(chunker);
    await chunker.waitFor(/chunker ready for films \(revision 1, 2 files, content [0-9a-f]{8}\)/, 30_000);
    // …then the laptop gets new files: its serve rescans, and the NAS copy is stale
    for (let i = 0; i < 4; i++) await addFile(`new-${i}.bin`, 1024 * 1024 + i);
    await until(() => runCli(['catalog', 'contents', 'films', '--json'], friend), (r) => r.code === 0 && r.stdout.includes('new-3.bin'));
    await downloadAll('stale');
    expect(transfersSent(chunker)).toBe(0);
    expect(chunker.child.exitCode).toBeNull();
  }, 180_000);

  it('the NAS with an identical copy (re-imported while it runs) sends some downloads; all complete', async () => {
    const chunker = chunkers.at(-1)!;
    await cp(laptopMedia(), nasMedia(), { recursive: true });
    json(await runCli(['context', 'export', '--out', exportFile, '--json'], laptop));
    json(await runCli(['context', 'import', exportFile, '--json'], nas));
    // the running chunker follows its new copy: it now listens for the laptop's current content
    await chunker.waitFor(/"taking transfers of catalog content".*"files":6/, 10_000);
    await downloadAll('identical');
    const sent = transfersSent(chunker);
    console.log(`the NAS chunker started ${sent} of ${DOWNLOADS} transfers (the laptop's own chunker the rest)`);
    expect(sent).toBeGreaterThan(0);
    expect(serving.exitCode).toBeNull();
  }, 180_000);
});
