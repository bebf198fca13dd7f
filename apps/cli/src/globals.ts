import type { Command } from 'commander';
import { DEFAULT_CONTEXT } from '@natster/context';

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions {
  /** Which named context (identity + hub) to use. */
  context: string;
  /** Print machine-readable JSON instead of tables and prose. */
  json: boolean;
}

export function globalsOf(cmd: Command): GlobalOptions {
  const all = cmd.optsWithGlobals<{ context?: string; json?: boolean }>();
  return { context: all.context ?? DEFAULT_CONTEXT, json: all.json === true };
}
