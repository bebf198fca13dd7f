import { MEDIA_NODE_FLAGS } from '@natster/hub';
import { BASELINE_NODE_FLAGS, type Measurement } from './cases';

const MB = 1e6;
const rate = (m: Measurement) => m.result.bytes / MB / (m.result.ms / 1000);
const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** The run with the median throughput (the upper one of an even count). */
function median(runs: Measurement[]): Measurement | undefined {
  return [...runs].sort((x, y) => rate(x) - rate(y))[Math.floor(runs.length / 2)];
}

function row(name: string, m: Measurement, runs: Measurement[]): string {
  const perMB = (seconds: number) => fixed((seconds * 1000) / (m.result.bytes / MB), 2).padStart(6);
  const range = runs.length > 1 ? `${fixed(Math.min(...runs.map(rate)), 0)}–${fixed(Math.max(...runs.map(rate)), 0)}` : '';
  const hash = m.result.hashMatch === undefined ? '-' : m.result.hashMatch ? 'match' : 'MISMATCH';
  return [
    name.padEnd(13),
    fixed(rate(m)).padStart(7),
    range.padStart(9),
    `${fixed(m.senderRss / MB, 0).padStart(5)} MB`,
    `${fixed(m.result.peakRss / MB, 0).padStart(5)} MB`,
    String(m.result.lost ?? '-').padStart(5),
    hash.padStart(8),
    `${perMB(m.cpu.sender)} ${perMB(m.cpu.receiver)} ${perMB(m.cpu.server)}`,
  ].join('  ');
}

export function printReport(
  setup: { size: string; chunk: string; window: number; threads: number; runs: number; via: string | null; title?: string },
  measured: Record<'natster' | 'raw' | 'legacy', Measurement[]>,
): void {
  const a = median(measured.natster);
  const b = median(measured.raw);
  const c = median(measured.legacy);
  console.log(`\nNatster transfer benchmark${setup.title ? ` ${setup.title}` : ''}: ${setup.size} file, chunk ${setup.chunk}, window ${setup.window}, ${setup.threads} chunker threads, median of ${setup.runs} runs`);
  console.log(`node flags: (a) ${MEDIA_NODE_FLAGS.join(' ')}; (b) and (c) ${BASELINE_NODE_FLAGS.join(' ')}`);
  console.log('case              MB/s  (min–max)  sender RSS  recv RSS   lost      hash  CPU ms/MB: sender receiver server');
  if (a) console.log(row('(a) natster', a, measured.natster));
  if (b) console.log(row('(b) raw nats', b, measured.raw));
  if (c) console.log(row('(c) original', c, measured.legacy));
  if (a && b) console.log(`(a)/(b) = ${fixed((100 * rate(a)) / rate(b), 0)} %  (target ≥ 80 %)`);
  if (a && c) console.log(`(a)/(c) = ${fixed(rate(a) / rate(c), 0)}×  (target ≥ 70×)`);
  if (a?.result.note) console.log(`(a) receiver: ${a.result.note}`);
  if (setup.via) console.log(`(a) was served by ${setup.via}; the chunker and the receiver each ran in their own process.`);
}

/** `--tls`: each case's median over TLS against its plain run in the same invocation. */
export function printTlsRatio(plain: Record<'natster' | 'raw', Measurement[]>, tls: Record<'natster' | 'raw', Measurement[]>): void {
  for (const [name, key] of [['(a) natster', 'natster'], ['(b) raw nats', 'raw']] as const) {
    const [p, t] = [median(plain[key]), median(tls[key])];
    if (p && t) console.log(`${name}: TLS ${fixed(rate(t))} MB/s vs plain ${fixed(rate(p))} MB/s = ${fixed((100 * rate(t)) / rate(p), 0)} %`);
  }
}
