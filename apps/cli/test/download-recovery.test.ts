import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNatsServer, startNatsServer, type RunningServer } from '@natster/hub';
import { childrenOf } from './processes';
import { json } from './run-cli';
import { startBackgroundCli, startSharedCatalog, type SharedCatalog } from './shared-catalog';

const MiB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/**
 * A running `natster catalog download` outlives what happens around it: the
 * hub's nats-server killed and restarted, the owner's catalog server killed
 * and started again. The same process finishes the file and verifies it.
 */
describe('natster catalog download recovers by itself', () => {
  let shared: SharedCatalog;
  let serve: ChildProcess;
  let restarted: RunningServer | null = null;
  const film = randomBytes(48 * MiB);

  beforeAll(async () => {
    shared = await startSharedCatalog({ 'film.bin': film });
    serve = shared.serving;
  }, 120_000);

  afterAll(async () => {
    await shared?.stop();
    await restarted?.stop();
  });

  /** Starts a paced download (so it is surely in flight) and waits until `bytes` are on disk. */
  async function downloadUntil(out: string, bytes: number) {
    const download = startBackgroundCli(['catalog', 'download', 'films', 'film.bin', out, '--limit-rate', '8M', '--json'], shared.friend);
    await expect.poll(() => sizeOf(`${out}.partial`), { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(bytes);
    return download;
  }

  async function expectVerified(download: ReturnType<typeof startBackgroundCli>, out: string): Promise<void> {
    const result = await download.exited;
    expect(json<{ sha256: string }>(result).sha256).toBe(sha256(film));
    expect(Buffer.compare(await readFile(out), film)).toBe(0);
  }

  it('survives kill -9 of nats-server and its restart on the same port, without being run again', async () => {
    const { th } = shared.platform;
    const out = join(shared.tmp, 'after-hub-restart.bin');
    const download = await downloadUntil(out, 8 * MiB);
    process.kill(th.server.pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    restarted = await startNatsServer({ bin: ensureNatsServer(), config: th.hub.layout.config, httpPort: th.hub.info.http_port, logFile: join(th.hub.layout.logs, 'nats-server.log') });
    await expectVerified(download, out);
    expect(download.stderr()).toMatch(/lost the hub/);
  }, 90_000);

  it("says within ~10 s of silence that the owner's server went away, and finishes once it is back", async () => {
    const out = join(shared.tmp, 'after-serve-restart.bin');
    const download = await downloadUntil(out, 8 * MiB);
    // Both killed outright: no goodbye from the chunker, only silence.
    for (const pid of childrenOf(serve.pid!)) process.kill(pid, 'SIGKILL');
    serve.kill('SIGKILL');
    // Chunks already received still drain to disk; the silence starts when the file stops growing.
    let size = sizeOf(`${out}.partial`);
    let grewAt = Date.now();
    await expect
      .poll(
        () => {
          if (sizeOf(`${out}.partial`) !== size) [size, grewAt] = [sizeOf(`${out}.partial`), Date.now()];
          return /the owner's catalog server for films went away/.test(download.stderr());
        },
        { timeout: 30_000, interval: 100 },
      )
      .toBe(true);
    expect(Date.now() - grewAt).toBeLessThan(10_000);
    serve = await shared.serve();
    await expectVerified(download, out);
    expect(download.stderr()).toMatch(/resumed at \d/);
  }, 90_000);

  it('gives up after --give-up-after without data, saying the partial file is kept and the same command resumes', async () => {
    const out = join(shared.tmp, 'given-up.bin');
    const download = startBackgroundCli(['catalog', 'download', 'films', 'film.bin', out, '--limit-rate', '8M', '--give-up-after', '4s'], shared.friend);
    await expect.poll(() => sizeOf(`${out}.partial`), { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(8 * MiB);
    for (const pid of childrenOf(serve.pid!)) process.kill(pid, 'SIGKILL');
    serve.kill('SIGKILL');
    const result = await download.exited;
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/gave up: no data for 4 s/);
    expect(result.stderr).toMatch(/The partial file \([\d.]+ MiB of 48\.0 MiB\) was kept at .*given-up\.bin\.partial; run the same command again to resume/);
  }, 90_000);
});
