import { terminalSafe } from './output';

/**
 * Prints a failure for a person: `error: <message>` (NatsterError messages
 * are written for users), no stack trace unless NATSTER_DEBUG=1.
 * Returns the process exit code.
 */
export function reportError(err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  // messages may relay a service's or another person's words (catalog and file names)
  process.stderr.write(`error: ${terminalSafe(message, { lines: true })}\n`);
  if (process.env.NATSTER_DEBUG === '1' && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return 1;
}
