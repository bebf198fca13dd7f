import { join } from 'node:path';
import { finished, type Started } from './process-group';
import { MiB, sizeOf, waitUntil, type ChaosWorld } from './world';

/** What one case found: `lost` lists what did not survive (empty when nothing was lost). */
export interface CaseOutcome {
  lost: string[];
  /** How long the user waited for things to work again; null where the case has no such moment. */
  recoveryMs: number | null;
  /** The bound recoveryMs must stay within to pass; null for none. */
  boundMs: number | null;
  /** What happened along the way, for the report. */
  notes: string[];
}

export interface ChaosCase {
  name: string;
  /** Short enough (under ~30 s) to run inside `npm test`. */
  quick: boolean;
  run(world: ChaosWorld): Promise<CaseOutcome>;
}

export interface CaseReport extends CaseOutcome {
  name: string;
  pass: boolean;
}

/** Runs one case; an exception (a bounded wait that ran out) is a failure with its message as what was lost. */
export async function runCase(world: ChaosWorld, chaos: ChaosCase): Promise<CaseReport> {
  const outcome = await chaos.run(world).catch(
    (err: Error): CaseOutcome => ({ lost: [`case aborted: ${err.message}`], recoveryMs: null, boundMs: null, notes: [] }),
  );
  const inBound = outcome.boundMs === null || (outcome.recoveryMs !== null && outcome.recoveryMs <= outcome.boundMs);
  return { name: chaos.name, ...outcome, pass: outcome.lost.length === 0 && inBound };
}

/** A paced download of a shared file (slow enough to be in flight when something breaks). */
export function startDownload(world: ChaosWorld, file: keyof ChaosWorld['files'], out: string): Started {
  return world.background(['catalog', 'download', 'films', file, out, '--limit-rate', '4M', '--json'], world.friend);
}

/** Waits until `bytes` of the download are on disk. */
export async function inFlight(out: string, bytes = 4 * MiB): Promise<void> {
  await waitUntil(`download of ${out} under way`, 60_000, () => sizeOf(`${out}.partial`) >= bytes, 50);
}

/** What the download lost: nothing when it ended well and the file verifies. */
export async function downloadLosses(world: ChaosWorld, download: Started, file: keyof ChaosWorld['files'], out: string, timeoutMs = 120_000): Promise<string[]> {
  const result = await finished(download, timeoutMs);
  if (result.code !== 0) return [`download exited ${result.code}: ${lastError(result.stderr)}`];
  return (await world.verifies(out, file)) ? [] : ['the downloaded file does not verify'];
}

/** The last `error:` line of a command's stderr, or its last line. */
export function lastError(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return (lines.filter((l) => l.startsWith('error: ')).at(-1) ?? lines.at(-1) ?? '(no output)').slice(0, 300);
}

/** A message a person can act on: one `error:` line, no stack trace. */
export const isClear = (stderr: string): boolean => /^error: \S/m.test(stderr) && !/^\s+at /m.test(stderr);

export const outPath = (world: ChaosWorld, name: string): string => join(world.tmp, 'downloads', name);
