import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './platform';
import { json, runCli } from './run-cli';
import { startBackgroundCli, startSharedCatalog, type SharedCatalog } from './shared-catalog';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/**
 * Where `natster catalog download` writes: it never overwrites a file by
 * surprise, refuses an impossible output path before anything crosses the
 * wire, and keeps a durable checkpoint so a killed download resumes.
 */
describe('natster catalog download: the output file', () => {
  let shared: SharedCatalog;
  const small = randomBytes(1 * MiB + 5);
  const big = randomBytes(48 * MiB);

  beforeAll(async () => {
    shared = await startSharedCatalog({ 'small.bin': small, 'big.bin': big });
  }, 120_000);

  afterAll(async () => {
    await shared?.stop();
  });

  it('refuses to overwrite an existing file unless --force, naming the file and the flag', async () => {
    const out = join(shared.tmp, 'precious.txt');
    await writeFile(out, 'precious\n');
    const refused = await runCli(['catalog', 'download', 'films', 'small.bin', out], shared.friend);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${out} already exists`);
    expect(refused.stderr).toContain('--force');
    expect(await readFile(out, 'utf8')).toBe('precious\n');
    expect(existsSync(`${out}.partial`)).toBe(false);

    const forced = await runCli(['catalog', 'download', 'films', 'small.bin', out, '--force', '--json'], shared.friend);
    expect(json<{ sha256: string }>(forced).sha256).toBe(sha256(small));
    expect(Buffer.compare(await readFile(out), small)).toBe(0);
  });

  it('refuses a folder or a missing folder as output before transferring anything', async () => {
    const folder = join(shared.tmp, 'a-folder');
    await mkdir(folder);
    const intoFolder = await runCli(['catalog', 'download', 'films', 'big.bin', folder], shared.friend);
    expect(intoFolder.code).toBe(1);
    expect(intoFolder.stderr).toContain(`${folder} is a folder`);
    // Refused before the request: no partial file was ever started beside it.
    expect(existsSync(`${folder}.partial`)).toBe(false);

    const missing = join(shared.tmp, 'no-such-folder', 'big.bin');
    const intoNowhere = await runCli(['catalog', 'download', 'films', 'big.bin', missing], shared.friend);
    expect(intoNowhere.code).toBe(1);
    expect(intoNowhere.stderr).toContain(`the folder ${join(shared.tmp, 'no-such-folder')} does not exist`);
  });

  /** Starts a paced download of big.bin (so it is surely in flight) and kills it -9 once `bytes` are on disk. */
  async function killedAfter(out: string, bytes: number): Promise<void> {
    const first = startBackgroundCli(['catalog', 'download', 'films', 'big.bin', out, '--limit-rate', '8M'], shared.friend);
    await expect.poll(() => sizeOf(`${out}.partial`), { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(bytes);
    first.child.kill('SIGKILL');
    await first.exited;
  }

  it('keeps a synced checkpoint within 8 MiB of the data when killed -9, and the same command resumes and verifies', async () => {
    const out = join(shared.tmp, 'killed.bin');
    await killedAfter(out, 20 * MiB);
    const received = sizeOf(`${out}.partial`);
    const sidecar = JSON.parse(await readFile(`${out}.partial.json`, 'utf8')) as { bytes: number; sha256: string };
    expect(sidecar.sha256).toBe(sha256(big));
    expect(received - sidecar.bytes).toBeLessThanOrEqual(8 * MiB);
    expect(sidecar.bytes).toBeGreaterThan(0);

    const resumed = json<{ sha256: string; resumed_from: number }>(await runCli(['catalog', 'download', 'films', 'big.bin', out, '--json'], shared.friend));
    expect(resumed.resumed_from).toBe(sidecar.bytes);
    expect(resumed.sha256).toBe(sha256(big));
    expect(Buffer.compare(await readFile(out), big)).toBe(0);
    expect(existsSync(`${out}.partial.json`)).toBe(false);
  });

  it('with --no-resume, starts a download killed -9 over from byte 0 and still verifies', async () => {
    const out = join(shared.tmp, 'restarted.bin');
    await killedAfter(out, 20 * MiB);
    const kept = (JSON.parse(await readFile(`${out}.partial.json`, 'utf8')) as { bytes: number }).bytes;
    expect(kept).toBeGreaterThan(0);
    // Garbage where the checkpoint says good data is: only a download from byte 0 can still verify.
    const partial = await open(`${out}.partial`, 'r+');
    await partial.write(Buffer.alloc(MiB, 0xee), 0, MiB, 0);
    await partial.close();

    const restarted = await runCli(['catalog', 'download', 'films', 'big.bin', out, '--no-resume'], shared.friend);
    expect(restarted.code, restarted.stderr).toBe(0);
    expect(restarted.stdout).toContain(`${sha256(big)} (verified)`);
    expect(restarted.stdout).not.toMatch(/Resumed from/);
    expect(Buffer.compare(await readFile(out), big)).toBe(0);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(existsSync(`${out}.partial.json`)).toBe(false);
  });

  it('mentions a kept partial file only when there is one, with its size', async () => {
    const out = join(shared.tmp, 'interrupted.bin');
    await killedAfter(out, 12 * MiB);
    const kept = (JSON.parse(await readFile(`${out}.partial.json`, 'utf8')) as { bytes: number }).bytes;
    expect((await runCli(['catalog', 'unshare', 'films', shared.friendKey], shared.owner)).code).toBe(0);

    const withPartial = await until(() => runCli(['catalog', 'download', 'films', 'big.bin', out], shared.friend), (r) => r.code !== 0);
    expect(withPartial.stderr).toMatch(/not shared with your account/);
    expect(withPartial.stderr).toContain(`The partial file (${(kept / MiB).toFixed(1)} MiB of 48.0 MiB) was kept at ${out}.partial`);

    const without = await runCli(['catalog', 'download', 'films', 'small.bin', join(shared.tmp, 'never.bin')], shared.friend);
    expect(without.stderr).toMatch(/not shared with your account/);
    expect(without.stderr).not.toMatch(/partial/i);
  }, 60_000);
});
