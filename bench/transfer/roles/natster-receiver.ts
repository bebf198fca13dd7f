import { downloadToFile } from '@natster/client';
import { connectNatster } from '@natster/nats';
import { cpuMeter, report, roleConfig, roleConnection } from '../roles';

/** (a) The downloader: a real `downloadToFile` (open, reorder, write, SHA-256 verify, rename). */
const config = roleConfig();
const nc = await connectNatster({ ...roleConnection(config), name: 'bench-natster-receiver' });
const cpu = cpuMeter();
const started = performance.now();
let firstByte = 0;
const result = await downloadToFile(nc, {
  catalog: config.catalog,
  hashOrPath: config.sha256,
  out: config.out!,
  resume: false,
  ...(config.loss ? { faults: { dropRate: config.loss, seed: config.seed ?? 1 } } : {}),
  onProgress: () => (firstByte ||= performance.now() - started),
});
const ms = performance.now() - started;
await nc.close();
const { chunks, duplicates, rejected, dropped, acks, resumes } = result.stats;
report(cpu, {
  ms,
  bytes: result.info.file_size,
  hashMatch: result.info.sha256 === config.sha256,
  lost: 0,
  stats: { chunks, duplicates, dropped, acks, resumes },
  note: `first byte after ${Math.round(firstByte)} ms; ${chunks} chunks, ${duplicates} duplicates, ${rejected} rejected, ${acks} acks, ${resumes} resumes`,
});
