import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { catalogImports } from '@natster/claims';
import { createLogger, type NatsConnection } from '@natster/nats';
import { startTestHub } from '@natster/testing';
import { startDownloadRoute } from './catalog-stand-in';
import { makeRandomFile, parseSize } from './make-file';
import { cpuOf, peakRssOf, startRole, type RoleConfig, type RoleResult } from './roles';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '1GiB' },
    'legacy-size': { type: 'string', default: '16MiB' },
    'chunk-size': { type: 'string', default: '1MiB' },
    window: { type: 'string', default: '16' },
    threads: { type: 'string', default: '2' },
    only: { type: 'string' },
  },
});
const size = parseSize(args.size);
const legacySize = Math.min(size, parseSize(args['legacy-size']));
const chunkSize = parseSize(args['chunk-size']);
const window = Number(args.window);
const threads = Number(args.threads);
const CATALOG = 'bench';
const chunkerMain = join(import.meta.dirname, '..', '..', 'services', 'chunker', 'src', 'main.ts');
const logger = createLogger('bench', { level: 'warn' });
const MB = 1e6;

async function waitForService(nc: NatsConnection, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await nc.services
      .client()
      .ping(name)
      .then(async (replies) => {
        for await (const _ of replies) return true;
        return false;
      })
      .catch(() => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start`);
}

interface Row {
  name: string;
  result: RoleResult;
  senderRss: number;
  /** CPU seconds of sender, receiver and nats-server during the case. */
  cpu: { sender: number; receiver: number; server: number };
}

const dir = await mkdtemp(join(tmpdir(), 'natster-bench-'));
const hub = await startTestHub({ demoCatalog: null });
const rows: Row[] = [];
try {
  process.stderr.write(`generating ${args.size} of random bytes…\n`);
  const file = join(dir, 'bench.bin');
  const sha256 = await makeRandomFile(file, size);
  const owner = await hub.createUser('owner');
  const reader = await hub.createUser('reader');
  await hub.pushAccount('reader', reader.account, catalogImports(reader.account, CATALOG, owner.account));
  const ownerNc = await owner.connect();
  const base: RoleConfig = { url: hub.url, creds: '', file, size, sha256, chunkSize, window, catalog: CATALOG };
  const sender = { ...base, creds: owner.credsPath, peer: reader.account };
  const receiver = { ...base, creds: reader.credsPath, out: join(dir, 'out.bin') };
  const want = (name: string) => !args.only || args.only.split(',').includes(name);

  if (want('natster')) {
    process.stderr.write('(a) natster download…\n');
    await startDownloadRoute(ownerNc, { catalog: CATALOG, file, size, sha256, logger });
    const chunker = startRole(chunkerMain, null, {
      NATS_URL: hub.url,
      NATSTER_CREDS: owner.credsPath,
      NATSTER_CHUNKER_THREADS: String(threads),
      NATSTER_CHUNK_SIZE: String(chunkSize),
      NATSTER_CHUNKER_WINDOW: String(window),
      NATSTER_LOG_LEVEL: 'warn',
    });
    await waitForService(ownerNc, 'natster-chunker');
    const [chunkerCpu, serverCpu] = [cpuOf(chunker.pid), cpuOf(hub.server.pid)];
    const result = (await startRole('natster-receiver', receiver).done)!;
    const senderRss = peakRssOf(chunker.pid);
    const cpu = { sender: cpuOf(chunker.pid) - chunkerCpu, receiver: result.cpu, server: cpuOf(hub.server.pid) - serverCpu };
    chunker.kill();
    await chunker.done;
    rows.push({ name: '(a) natster', result, senderRss, cpu });
    await rm(receiver.out, { force: true });
  }
  if (want('raw')) {
    process.stderr.write('(b) raw nats.js…\n');
    const rawSender = startRole('raw-sender', sender);
    await rawSender.ready;
    const serverCpu = cpuOf(hub.server.pid);
    const result = (await startRole('raw-receiver', receiver).done)!;
    const sent = (await rawSender.done)!;
    rows.push({ name: '(b) raw nats', result, senderRss: sent.peakRss, cpu: { sender: sent.cpu, receiver: result.cpu, server: cpuOf(hub.server.pid) - serverCpu } });
    await rm(receiver.out, { force: true });
  }
  if (want('legacy')) {
    process.stderr.write(`(c) original protocol on ${args['legacy-size']}…\n`);
    const legacy = { ...sender, size: legacySize, chunkSize: 4096 };
    const legacySender = startRole('legacy-sender', legacy);
    await legacySender.ready;
    const serverCpu = cpuOf(hub.server.pid);
    const result = (await startRole('legacy-receiver', { ...receiver, size: legacySize, chunkSize: 4096 }).done)!;
    const sent = (await legacySender.done)!;
    rows.push({ name: '(c) original', result, senderRss: sent.peakRss, cpu: { sender: sent.cpu, receiver: result.cpu, server: cpuOf(hub.server.pid) - serverCpu } });
  }
} finally {
  await hub.stop();
  await rm(dir, { recursive: true, force: true });
}

const rate = (r: RoleResult) => r.bytes / MB / (r.ms / 1000);
const fmt = (n: number, digits = 1) => n.toFixed(digits);
console.log(`\nNatster transfer benchmark — ${args.size} file, chunk ${args['chunk-size']}, window ${window}, ${threads} chunker threads`);
console.log('case            MB/s     seconds  sender RSS  receiver RSS  lost  hash   CPU ms/MB: sender receiver server');
for (const { name, result, senderRss, cpu } of rows) {
  const perMB = (seconds: number) => fmt((seconds * 1000) / (result.bytes / MB), 2).padStart(6);
  console.log(
    `${name.padEnd(15)} ${fmt(rate(result)).padStart(7)}  ${fmt(result.ms / 1000, 2).padStart(7)}  ${fmt(senderRss / MB, 0).padStart(7)} MB  ${fmt(result.peakRss / MB, 0).padStart(9)} MB  ${String(result.lost ?? '-').padStart(4)}  ${(result.hashMatch === undefined ? '-' : result.hashMatch ? 'match' : 'MISMATCH').padEnd(5)}             ${perMB(cpu.sender)} ${perMB(cpu.receiver)}   ${perMB(cpu.server)}`,
  );
}
const a = rows.find((r) => r.name.startsWith('(a)'));
const b = rows.find((r) => r.name.startsWith('(b)'));
const c = rows.find((r) => r.name.startsWith('(c)'));
if (a && b) console.log(`(a)/(b) = ${fmt((100 * rate(a.result)) / rate(b.result), 0)} %  (target ≥ 80 %)`);
if (a && c) console.log(`(a)/(c) = ${fmt(rate(a.result) / rate(c.result), 0)}×  (target ≥ 70×)`);
console.log('Served by the catalog server’s download route (services/catalog download.ts) with a fixed file list; the chunker and the receiver each run in their own process.');
