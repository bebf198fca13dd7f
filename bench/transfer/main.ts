import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { catalogImports } from '@natster/claims';
import { createLogger } from '@natster/nats';
import { startTestHub } from '@natster/testing';
import { measureLegacy, measureNatster, measureRaw, type CaseContext, type Measurement } from './cases';
import { startBenchCatalog, type BenchCatalog } from './catalog';
import { benchFriend } from './friend';
import { parseLoss, printLossReport } from './loss';
import { makeRandomFile, parseSize } from './make-file';
import { printReport, printTlsRatio } from './report';

const { values: args } = parseArgs({
  options: {
    /** 1GiB; 64MiB with --friend. */
    size: { type: 'string' },
    'legacy-size': { type: 'string', default: '16MiB' },
    'chunk-size': { type: 'string', default: '512KiB' },
    window: { type: 'string', default: '32' },
    threads: { type: 'string', default: '2' },
    /** (a) and (b) run this many times, interleaved; the report shows the median. */
    runs: { type: 'string', default: '3' },
    /** Comma-separated subset of natster,raw,legacy. */
    only: { type: 'string' },
    /** Extra (a) runs with chunks dropped at the receiver, e.g. `1%,5%`: reports the duplicates recovery cost. */
    loss: { type: 'string' },
    /** Picks which chunks `--loss` drops (the same ones every run). */
    seed: { type: 'string', default: '1' },
    /** Runs (a) and (b) again on a TLS hub (`hub up --public`) and prints each against its plain run. */
    tls: { type: 'boolean', default: false },
    /** Instead of the transfer cases: `hub invite` to a friend's first verified download (friend.ts). */
    friend: { type: 'boolean', default: false },
  },
});
const sizeLabel = args.size ?? (args.friend ? '64MiB' : '1GiB');
const size = parseSize(sizeLabel);
const chunkSize = parseSize(args['chunk-size']);
const window = Number(args.window);
const threads = Number(args.threads);
const runs = Math.max(1, Number(args.runs));
const losses = parseLoss(args.loss);
const seed = Number(args.seed);
const want = (name: string) => !args.only || args.only.split(',').includes(name);
const CATALOG = 'bench';
const logger = createLogger('bench', { level: 'warn' });

/**
 * Pause before each case so memory freed by the previous one (its output
 * file) is no longer warm: on VMs with free page reporting (virtio-balloon,
 * as here) a freed page goes back to the host after ~2 s, and writing it
 * again costs ~10× (1.2–2.4 vs 0.16 ms/MB). Without the pause the case that
 * started sooner after a delete wrote into warm pages: the raw sender starts
 * faster than the chunker service, so (b) got warm pages and (a) cold ones.
 */
const SETTLE_MS = 3000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

type Measured = Record<'natster' | 'raw' | 'legacy', Measurement[]>;

/** Every case on one fresh hub (plain, or TLS with its own CA); the loss and legacy cases only on the plain one. */
async function measureOn(dir: string, file: string, sha256: string, tls: boolean): Promise<{ measured: Measured; lossy: { loss: number; measurement: Measurement }[]; via: string | null }> {
  const hub = await startTestHub({ demoCatalog: null, ...(tls ? { publicHosts: ['127.0.0.1'] } : {}) });
  let catalog: BenchCatalog | null = null;
  const measured: Measured = { natster: [], raw: [], legacy: [] };
  const lossy: { loss: number; measurement: Measurement }[] = [];
  const label = tls ? ' over TLS' : '';
  try {
    const owner = await hub.createUser('owner');
    const reader = await hub.createUser('reader');
    await hub.pushAccount('reader', reader.account, catalogImports(reader.account, CATALOG, owner.account));
    const ownerNc = await owner.connect();
    const base = { url: hub.url, ...(hub.caFile ? { caFile: hub.caFile } : {}), file, size, sha256, chunkSize, window, catalog: CATALOG };
    const ctx: CaseContext = {
      hub,
      ownerNc,
      catalogsDir: join(dir, tls ? 'catalogs-tls' : 'catalogs'),
      sender: { ...base, creds: owner.credsPath, peer: reader.account },
      receiver: { ...base, creds: reader.credsPath, out: join(dir, 'out.bin') },
      threads,
      logger,
    };
    if (want('natster')) catalog = await startBenchCatalog({ hub, nc: ownerNc, account: owner.account, name: CATALOG, catalogsDir: ctx.catalogsDir, file, size, sha256, logger });
    for (let run = 1; run <= runs; run++) {
      if (want('natster')) {
        process.stderr.write(`(a) natster download${label}, run ${run}/${runs}…\n`);
        await settle();
        measured.natster.push(await measureNatster(ctx));
        await rm(ctx.receiver.out!, { force: true });
      }
      if (want('raw')) {
        process.stderr.write(`(b) raw nats.js${label}, run ${run}/${runs}…\n`);
        await settle();
        measured.raw.push(await measureRaw(ctx));
        await rm(ctx.receiver.out!, { force: true });
      }
    }
    for (const loss of want('natster') && !tls ? losses : []) {
      process.stderr.write(`(a) natster download dropping ${(loss * 100).toFixed(1)}% of chunks…\n`);
      await settle();
      lossy.push({ loss, measurement: await measureNatster(ctx, { rate: loss, seed }) });
      await rm(ctx.receiver.out!, { force: true });
    }
    if (want('legacy') && !tls) {
      process.stderr.write(`(c) original protocol on ${args['legacy-size']}…\n`);
      measured.legacy.push(await measureLegacy(ctx, Math.min(size, parseSize(args['legacy-size']))));
    }
  } finally {
    await catalog?.stop();
    await hub.stop();
  }
  return { measured, lossy, via: catalog?.via ?? null };
}

async function benchTransfer(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'natster-bench-'));
  try {
    process.stderr.write(`generating ${sizeLabel} of random bytes…\n`);
    await mkdir(join(dir, 'media'));
    const file = join(dir, 'media', 'bench.bin');
    const sha256 = await makeRandomFile(file, size);
    const plain = await measureOn(dir, file, sha256, false);
    const overTls = args.tls ? await measureOn(dir, file, sha256, true) : null;
    const setup = { size: sizeLabel, chunk: args['chunk-size'], window, threads, runs };
    printReport({ ...setup, via: plain.via }, plain.measured);
    printLossReport(seed, plain.lossy);
    if (overTls) {
      printReport({ ...setup, via: overTls.via, title: 'over TLS (hub up --public)' }, overTls.measured);
      printTlsRatio(plain.measured, overTls.measured);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await (args.friend ? benchFriend(size, sizeLabel) : benchTransfer());
