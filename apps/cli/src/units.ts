/** Command-line values with units: durations (`90s`, `10m`, `2h`, `7d`) and byte rates (`500K`, `2M`, `1G`). */

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const BYTE_UNITS = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as const;

/** `10m` → 600000. A bare number is seconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * DURATION_UNITS_MS[(match[2] ?? 's') as keyof typeof DURATION_UNITS_MS] : NaN;
  if (!(ms > 0)) throw new Error(`${flag} takes a duration such as 90s, 10m, 2h or 7d (got "${value}")`);
  return Math.round(ms);
}

/** `2M` → 2097152 bytes a second (binary units, as the progress line prints them). */
export function parseByteRate(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)([kmg]?)(?:i?b)?(?:\/s)?$/i.exec(value.trim());
  const bytes = match ? Number(match[1]) * BYTE_UNITS[match[2]!.toLowerCase() as keyof typeof BYTE_UNITS] : NaN;
  if (!(bytes >= 1)) throw new Error(`${flag} takes bytes a second such as 500K, 2M or 1G (got "${value}")`);
  return Math.round(bytes);
}

/** 600000 → `10m`: the way a person would type it back into the flag. */
export function formatDurationFlag(ms: number): string {
  if (ms % DURATION_UNITS_MS.h === 0) return `${ms / DURATION_UNITS_MS.h}h`;
  if (ms % DURATION_UNITS_MS.m === 0) return `${ms / DURATION_UNITS_MS.m}m`;
  return ms % DURATION_UNITS_MS.s === 0 ? `${ms / DURATION_UNITS_MS.s}s` : `${ms}ms`;
}
