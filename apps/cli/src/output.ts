/**
 * Command output: rounded tables with a title, as the original natster CLI
 * prints them, or JSON for scripts when `--json` is given.
 */
export interface Table {
  title?: string;
  /** Column headings; omit for key/value tables. */
  head?: string[];
  rows: (string | number | boolean | null | undefined)[][];
}

const cell = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '' : String(v));

export function renderTable(table: Table): string {
  const rows = table.rows.map((r) => r.map(cell));
  const all = table.head ? [table.head, ...rows] : rows;
  const columns = Math.max(1, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((r) => (r[i] ?? '').length)));
  const inner = widths.reduce((sum, w) => sum + w + 3, -1);
  const line = (l: string, mid: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(mid) + r;
  const row = (r: string[]) => '│' + widths.map((w, i) => ` ${(r[i] ?? '').padEnd(w)} `).join('│') + '│';
  const out: string[] = [];
  if (table.title) {
    const width = Math.max(inner, table.title.length + 2);
    if (width > inner) widths[columns - 1]! += width - inner;
    out.push('╭' + '─'.repeat(width) + '╮', '│' + ` ${table.title}`.padEnd(width) + '│', line('├', '┬', '┤'));
  } else {
    out.push(line('╭', '┬', '╮'));
  }
  if (table.head) out.push(row(table.head), line('├', '┼', '┤'));
  for (const r of rows) out.push(row(r));
  out.push(line('╰', '┴', '╯'));
  return out.join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Prints data as JSON with `--json`, else through the given renderer. */
export function printResult<T>(json: boolean, value: T, render: (value: T) => string): void {
  if (json) printJson(value);
  else process.stdout.write(render(value) + '\n');
}

/** A line for people; suppressed with `--json` so stdout stays parseable. */
export function say(json: boolean, text: string): void {
  if (!json) process.stdout.write(text + '\n');
}
