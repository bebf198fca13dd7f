import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCase, type CaseReport } from './chaos-case';
import { chaosCases } from './cases';
import { caseLine, summaryTable } from './report';
import { startWorld, type ChaosWorld } from './world';

/** The short form of `npm run chaos`: its quick cases, on the same real processes. */
describe('chaos (quick cases; `npm run chaos` runs them all)', () => {
  let world: ChaosWorld;
  const reports: CaseReport[] = [];

  beforeAll(async () => {
    world = await startWorld();
  }, 180_000);

  afterAll(async () => {
    await world?.stop();
    if (reports.length > 0) process.stdout.write(summaryTable(reports) + '\n');
  });

  for (const chaos of chaosCases.filter((c) => c.quick)) {
    it(chaos.name, async () => {
      const report = await runCase(world, chaos);
      reports.push(report);
      process.stdout.write(caseLine(report));
      expect(report.lost).toEqual([]);
      expect(report.pass, `recovery ${report.recoveryMs} ms, bound ${report.boundMs} ms`).toBe(true);
    }, 240_000);
  }
});
