import type { Measurement } from './cases';

/** Parses `--loss 1%,5%` (or fractions such as 0.01) into drop rates. */
export function parseLoss(text: string | undefined): number[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(part.trim());
    const rate = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
    if (!(rate > 0 && rate < 1)) throw new Error(`--loss takes rates such as 1% or 0.05, got ${JSON.stringify(part)}`);
    return rate;
  });
}

const GIB = 1024 ** 3;
const MB = 1e6;

/** One line per loss rate: chunks dropped on purpose, and what recovering them cost (duplicates are chunks that arrived twice). */
export function printLossReport(seed: number, runs: { loss: number; measurement: Measurement }[]): void {
  if (runs.length === 0) return;
  console.log(`\nLoss injection (receiver drops the first copy of a chunk before opening it; seed ${seed}, same chunks every run)`);
  console.log('loss     MB/s   dropped  duplicates  duplicates/GiB  retransmits/GiB  resumes');
  for (const { loss, measurement } of runs) {
    const { result } = measurement;
    const stats = result.stats;
    const perGiB = (n: number) => ((n * GIB) / result.bytes).toFixed(1);
    console.log(
      [
        `${(loss * 100).toFixed(1)}%`.padEnd(6),
        (result.bytes / MB / (result.ms / 1000)).toFixed(1).padStart(6),
        String(stats?.dropped ?? '-').padStart(9),
        String(stats?.duplicates ?? '-').padStart(11),
        (stats ? perGiB(stats.duplicates) : '-').padStart(15),
        (measurement.senderRetransmits === undefined ? '-' : perGiB(measurement.senderRetransmits)).padStart(16),
        String(stats?.resumes ?? '-').padStart(8),
      ].join('  '),
    );
  }
}
