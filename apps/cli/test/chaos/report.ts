import { renderTable } from '../../src/output';
import type { CaseReport } from './chaos-case';

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)} s`);

/** One line per case as it ends, so a long run shows its progress. */
export const caseLine = (r: CaseReport): string =>
  `[chaos] ${r.pass ? 'PASS' : 'FAIL'} ${r.name}: lost ${r.lost.length === 0 ? 'nothing' : r.lost.join('; ')}; recovery ${seconds(r.recoveryMs)}` +
  `${r.boundMs === null ? '' : ` (bound ${seconds(r.boundMs)})`}\n` +
  r.notes.map((n) => `        ${n}\n`).join('');

export const summaryTable = (reports: CaseReport[]): string =>
  renderTable({
    title: 'Chaos suite',
    head: ['Case', 'Lost', 'Recovery', 'Bound', 'Result'],
    rows: reports.map((r) => [r.name, r.lost.length === 0 ? 'nothing' : r.lost.join('; '), seconds(r.recoveryMs), seconds(r.boundMs), r.pass ? 'pass' : 'FAIL']),
  });
