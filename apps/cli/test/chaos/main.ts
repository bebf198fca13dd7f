/**
 * `npm run chaos`: every chaos case against real processes, one after the
 * other on one world, then a summary. Names on the command line pick cases
 * (any case whose name contains one of them). Exits 1 if any case fails.
 */
import { runCase, type CaseReport } from './chaos-case';
import { chaosCases } from './cases';
import { killAll } from './process-group';
import { caseLine, summaryTable } from './report';
import { startWorld } from './world';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

const filters = process.argv.slice(2);
const picked = chaosCases.filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
process.stdout.write(`[chaos] setting up a hub under its supervisor, an owner serving films and a friend…\n`);
const world = await startWorld();
const reports: CaseReport[] = [];
try {
  for (const chaos of picked) {
    process.stdout.write(`[chaos] ${chaos.name}…\n`);
    const report = await runCase(world, chaos);
    reports.push(report);
    process.stdout.write(caseLine(report));
  }
} finally {
  await world.stop();
}
process.stdout.write(summaryTable(reports) + '\n');
process.exitCode = reports.every((r) => r.pass) ? 0 : 1;
