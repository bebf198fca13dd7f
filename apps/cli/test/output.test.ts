import { describe, expect, it } from 'vitest';
import { renderTable, terminalSafe } from '../src/output';
import { createProgress, formatBytes } from '../src/progress';

describe('tables', () => {
  it('draw a titled, aligned table', () => {
    const text = renderTable({ title: 'Catalogs', head: ['Name', 'Files'], rows: [['films', 12], ['music', null]] });
    const lines = text.split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[1]).toMatch(/^│ Catalogs\s+│$/);
    expect(text).toContain('│ films │ 12    │');
    expect(text).toContain('│ music │       │');
  });
});

describe('terminal safety', () => {
  it('shows control characters as visible escapes, keeping newlines only in whole messages', () => {
    const hostile = 'a\x1b[2J\x9b1m\x7f\u202eb\nc\td';
    expect(terminalSafe(hostile)).toBe('a\\x1b[2J\\x9b1m\\x7f\\u202eb\\x0ac\\x09d');
    expect(terminalSafe(hostile, { lines: true })).toBe('a\\x1b[2J\\x9b1m\\x7f\\u202eb\nc\td');
    expect(terminalSafe('films 🎬 Überall')).toBe('films 🎬 Überall');
  });

  it('keeps a table cell with a newline on one row', () => {
    const lines = renderTable({ head: ['Path'], rows: [['x\n│ forged │'], ['y']] }).split('\n');
    expect(lines).toHaveLength(6);
  });
});

describe('progress', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('prints plain lines with bytes, rate, files and ETA when not a TTY', () => {
    const c = clock();
    const out: string[] = [];
    const p = createProgress({ label: 'movie.mp4', totalBytes: 4 * 1024 * 1024, totalFiles: 2, mode: 'plain', intervalMs: 1000, now: c.now, write: (t) => out.push(t) });
    c.advance(1000);
    p.add(1024 * 1024);
    expect(out).toEqual(['movie.mp4: 1.0 MiB/4.0 MiB 1.0 MiB/s 0/2 files ETA 0:03\n']);
    c.advance(500);
    p.add(1024 * 1024); // within the interval: nothing printed
    expect(out).toHaveLength(1);
    p.fileDone();
    p.finish();
    expect(out.at(-1)).toMatch(/^movie\.mp4: 2\.0 MiB\/4\.0 MiB .* 1\/2 files done\n$/);
  });

  it('emits JSON lines with --json and redraws one line on a TTY', () => {
    const c = clock();
    const lines: string[] = [];
    const p = createProgress({ label: 'scan', json: true, now: c.now, write: (t) => lines.push(t) });
    c.advance(2000);
    p.add(2048);
    p.finish();
    expect(lines.map((l) => JSON.parse(l).progress)).toEqual([
      expect.objectContaining({ label: 'scan', bytes: 2048, bytes_per_second: 1024, done: false }),
      expect.objectContaining({ bytes: 2048, done: true }),
    ]);

    const tty: string[] = [];
    const bar = createProgress({ label: 'get', totalBytes: 100, mode: 'tty', now: c.now, write: (t) => tty.push(t) });
    c.advance(1000);
    bar.add(50);
    // eslint-disable-next-line no-control-regex -- the terminal's erase-line escape is what is tested
    expect(tty[0]).toMatch(/^\r\x1b\[2Kget █{12}░{12} 50 B\/100 B 50 B\/s ETA 0:01$/);
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});
