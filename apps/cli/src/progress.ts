import { terminalSafe } from './output';

/**
 * Progress of a long transfer (catalog scans, downloads): a redrawn bar on a
 * TTY, a plain line every few seconds otherwise, JSON lines with `--json`.
 * Always written to stderr so stdout stays free for results.
 */
export type ProgressMode = 'tty' | 'plain' | 'json';

export interface ProgressOptions {
  /** What is happening, e.g. "downloading movie.mp4". */
  label: string;
  totalBytes?: number;
  totalFiles?: number;
  /** Defaults: json with --json, tty when stderr is a terminal, else plain. */
  mode?: ProgressMode;
  json?: boolean;
  /** How often plain and json modes print (tty redraws at most every 100 ms). */
  intervalMs?: number;
  write?: (text: string) => void;
  now?: () => number;
}

export interface ProgressSnapshot {
  label: string;
  bytes: number;
  total_bytes: number | null;
  files: number;
  total_files: number | null;
  bytes_per_second: number;
  eta_seconds: number | null;
  done: boolean;
}

export interface Progress {
  /** Adds bytes moved. */
  add(bytes: number): void;
  /** Counts one more file finished. */
  fileDone(): void;
  /** Sets or corrects the totals once they are known. */
  setTotals(totals: { bytes?: number; files?: number }): void;
  snapshot(): ProgressSnapshot;
  /** Prints a line about what is happening (e.g. "lost the hub"), keeping a TTY bar below it. */
  note(text: string): void;
  /** Prints the final state and stops redrawing. */
  finish(): void;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
export function formatBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x: number) => String(x).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

function describe(s: ProgressSnapshot): string {
  const bytes = s.total_bytes === null ? formatBytes(s.bytes) : `${formatBytes(s.bytes)}/${formatBytes(s.total_bytes)}`;
  const files = s.total_files === null ? (s.files > 0 ? ` ${s.files} files` : '') : ` ${s.files}/${s.total_files} files`;
  const eta = s.done ? '' : s.eta_seconds === null ? '' : ` ETA ${formatDuration(s.eta_seconds)}`;
  return `${bytes} ${formatBytes(s.bytes_per_second)}/s${files}${eta}`;
}

function bar(fraction: number, width = 24): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export function createProgress(options: ProgressOptions): Progress {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const now = options.now ?? Date.now;
  const mode: ProgressMode = options.mode ?? (options.json ? 'json' : process.stderr.isTTY ? 'tty' : 'plain');
  const interval = mode === 'tty' ? 100 : (options.intervalMs ?? 2000);
  const started = now();
  let totalBytes = options.totalBytes ?? null;
  let totalFiles = options.totalFiles ?? null;
  let bytes = 0;
  let files = 0;
  let lastPrint = 0;
  let finished = false;

  const snapshot = (done = false): ProgressSnapshot => {
    const elapsed = Math.max(0.001, (now() - started) / 1000);
    const rate = bytes / elapsed;
    const eta = totalBytes !== null && rate > 0 ? Math.max(0, (totalBytes - bytes) / rate) : null;
    return { label: options.label, bytes, total_bytes: totalBytes, files, total_files: totalFiles, bytes_per_second: Math.round(rate), eta_seconds: eta === null ? null : Math.round(eta), done };
  };

  const print = (done: boolean) => {
    const s = snapshot(done);
    if (mode === 'json') write(JSON.stringify({ progress: s }) + '\n');
    else if (mode === 'plain') write(`${terminalSafe(s.label)}: ${describe(s)}${done ? ' done' : ''}\n`);
    else {
      const fraction = totalBytes ? bytes / totalBytes : totalFiles ? files / totalFiles : 0;
      write(`\r\x1b[2K${terminalSafe(s.label)} ${bar(done ? 1 : fraction)} ${describe(s)}${done ? '\n' : ''}`);
    }
  };

  const maybePrint = () => {
    if (finished) return;
    const t = now();
    if (t - lastPrint >= interval) {
      lastPrint = t;
      print(false);
    }
  };

  return {
    add(n) {
      bytes += n;
      maybePrint();
    },
    fileDone() {
      files++;
      maybePrint();
    },
    setTotals(totals) {
      if (totals.bytes !== undefined) totalBytes = totals.bytes;
      if (totals.files !== undefined) totalFiles = totals.files;
    },
    snapshot: () => snapshot(finished),
    note(text) {
      if (mode === 'json') write(JSON.stringify({ notice: text }) + '\n');
      else if (mode === 'plain' || finished) write(`${terminalSafe(text, { lines: true })}\n`);
      else {
        write(`\r\x1b[2K${terminalSafe(text, { lines: true })}\n`);
        print(false);
      }
    },
    finish() {
      if (finished) return;
      finished = true;
      print(true);
    },
  };
}
