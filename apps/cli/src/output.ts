/**
 * Command output: rounded tables with a title, as the original natster CLI
 * prints them, or JSON for scripts when `--json` is given.
 *
 * Everything printed for people passes through terminalSafe(): file names,
 * descriptions, catalog and display names come from other people, and a
 * raw ESC, CSI or newline in them would drive the reader's terminal (clear
 * it, retitle it, forge table rows). JSON output is left exact: JSON
 * already escapes control characters.
 */

/**
 * C0 controls (but newline and tab, handled below), DEL, C1 controls
 * (0x9b is a one-byte CSI) and the Unicode line separators and bidi
 * controls that reorder or break what follows them on screen.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, plus newline and tab
const UNSAFE_IN_CELL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const visible = (c: string): string => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * Text made harmless for a terminal: control characters become visible
 * escapes (ESC → `\x1b`). `lines: true` keeps newlines and tabs, for
 * whole messages; table cells and single-line fields escape them too.
 */
export function terminalSafe(text: string, options: { lines?: boolean } = {}): string {
  return text.replace(options.lines ? UNSAFE : UNSAFE_IN_CELL, visible);
}

export interface Table {
  title?: string;
  /** Column headings; omit for key/value tables. */
  head?: string[];
  rows: (string | number | boolean | null | undefined)[][];
}

const cell = (v: string | number | boolean | null | undefined): string => (v === null || v === undefined ? '' : terminalSafe(String(v)));

export function renderTable(table: Table): string {
  const rows = table.rows.map((r) => r.map(cell));
  const head = table.head?.map(cell);
  const title = table.title === undefined ? undefined : terminalSafe(table.title);
  const all = head ? [head, ...rows] : rows;
  const columns = Math.max(1, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((r) => (r[i] ?? '').length)));
  const inner = widths.reduce((sum, w) => sum + w + 3, -1);
  const line = (l: string, mid: string, r: string) => l + widths.map((w) => '─'.repeat(w + 2)).join(mid) + r;
  const row = (r: string[]) => '│' + widths.map((w, i) => ` ${(r[i] ?? '').padEnd(w)} `).join('│') + '│';
  const out: string[] = [];
  if (title) {
    const width = Math.max(inner, title.length + 2);
    if (width > inner) widths[columns - 1]! += width - inner;
    out.push('╭' + '─'.repeat(width) + '╮', '│' + ` ${title}`.padEnd(width) + '│', line('├', '┬', '┤'));
  } else {
    out.push(line('╭', '┬', '╮'));
  }
  if (head) out.push(row(head), line('├', '┼', '┤'));
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
  else process.stdout.write(terminalSafe(render(value), { lines: true }) + '\n');
}

/** A line for people; suppressed with `--json` so stdout stays parseable. */
export function say(json: boolean, text: string): void {
  if (!json) process.stdout.write(terminalSafe(text, { lines: true }) + '\n');
}
