import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, until } from '../../apps/cli/test/platform';
import { json, runCli, type CliResult } from '../../apps/cli/test/run-cli';
import { makeRandomFile } from './make-file';

const CATALOG = 'bench';
const FILE = 'bench.bin';
/** The download's own timeout: a slow machine must not cut a 1 GiB run short. */
const DOWNLOAD_TIMEOUT_MS = 30 * 60_000;

const ok = (result: CliResult): CliResult => {
  if (result.code !== 0) throw new Error(`natster exited with ${result.code}: ${result.stderr}`);
  return result;
};

/** Runs `work` and returns its result and the milliseconds it took. */
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/**
 * `npm run bench -- --friend`: from `natster hub invite` to a friend's first
 * verified download, each step a real `natster` process, on a public hub (TLS
 * with its own CA, invite-only) on loopback. The owner's catalog is made and
 * served before the clock starts (she already shares with others); the
 * baseline is the same friend downloading the same file again, once joined.
 */
export async function benchFriend(size: number, sizeLabel: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'natster-bench-friend-'));
  const platform = await startPlatform({ publicHosts: ['127.0.0.1'] });
  try {
    const owner = { NATSTER_HOME: join(dir, 'owner'), NATSTER_HUB_DIR: platform.th.dir, NATSTER_LOG_LEVEL: 'warn' };
    const friend = { NATSTER_HOME: join(dir, 'friend') };
    process.stderr.write(`generating ${sizeLabel} of random bytes; the owner makes and serves catalog ${CATALOG}…\n`);
    await mkdir(join(dir, 'media'));
    const sha256 = await makeRandomFile(join(dir, 'media', FILE), size);
    ok(await runCli(['init', '--name', 'Owner'], owner));
    ok(await runCli(['catalog', 'new', CATALOG, 'benchmark', join(dir, 'media')], owner));
    await platform.startCli(['catalog', 'serve', CATALOG], owner, new RegExp(`serving ${CATALOG}`));

    process.stderr.write('timing the journey…\n');
    const steps: [string, number][] = [];
    const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const [result, ms] = await timed(work);
      steps.push([name, ms]);
      return result;
    };
    const { line } = await step('hub invite (owner)', async () => json<{ line: string }>(await runCli(['hub', 'invite', '--json'], owner)));
    const { account } = await step('init --invite (friend)', async () => json<{ account: string }>(await runCli(['init', '--invite', line, '--name', 'Friend', '--json'], friend)));
    await step('catalog share (owner)', async () => ok(await runCli(['catalog', 'share', CATALOG, account], owner)));
    await step('inbox until shared, then --import (friend)', async () => {
      await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => r.code === 0 && r.stdout.includes(`"${CATALOG}"`));
      ok(await runCli(['catalog', 'inbox', '--import', CATALOG], friend));
    });
    const first = join(dir, 'first.bin');
    await step(`catalog download ${sizeLabel}, verified (friend)`, async () => ok(await runCli(['catalog', 'download', CATALOG, FILE, first], friend, DOWNLOAD_TIMEOUT_MS)));
    const firstMatch = (await sha256Of(first)) === sha256;
    await rm(first);

    process.stderr.write('baseline: the same download by the joined friend…\n');
    const again = join(dir, 'again.bin');
    const [, baselineMs] = await timed(async () => ok(await runCli(['catalog', 'download', CATALOG, FILE, again], friend, DOWNLOAD_TIMEOUT_MS)));
    const againMatch = (await sha256Of(again)) === sha256;

    const total = steps.reduce((sum, [, ms]) => sum + ms, 0);
    const seconds = (ms: number) => (ms / 1000).toFixed(2).padStart(7);
    console.log(`\nFriend journey benchmark: public hub (TLS, own CA, invite-only) on loopback, ${sizeLabel} file; each step is one \`natster\` process (or several, polling)`);
    console.log('step                                              s');
    for (const [name, ms] of steps) console.log(`${name.padEnd(44)} ${seconds(ms)}`);
    console.log(`${'total: hub invite → first verified download'.padEnd(44)} ${seconds(total)}   sha256 ${firstMatch ? 'match' : 'MISMATCH'}`);
    console.log(`${'baseline: the joined friend downloads again'.padEnd(44)} ${seconds(baselineMs)}   sha256 ${againMatch ? 'match' : 'MISMATCH'}`);
    console.log(`total / baseline = ${(total / baselineMs).toFixed(1)}×; joining (all steps before the download) = ${seconds(total - steps.at(-1)![1]).trim()} s`);
  } finally {
    await platform.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
