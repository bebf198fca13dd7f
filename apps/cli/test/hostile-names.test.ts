import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from './platform';
import { json, runCli } from './run-cli';
import { startSharedCatalog, type SharedCatalog } from './shared-catalog';

/** Clears the screen, retitles the window, turns text red, forges a table row, flips text right to left. */
const HOSTILE = '\x1b[2J\x1b]0;pwned\x07\x1b[31mred\nforged │ row\u202e.txt';
const HOSTILE_DESCRIPTION = 'nice\x9b2J\x7f\x1b[8m hidden';
const FILES = { [HOSTILE]: Buffer.from('a'), 'plain.txt': Buffer.from('b') };

// Every control byte a terminal acts on, but the newline that ends lines.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A sharer names files and describes them to attack the friend's terminal. */
describe("a sharer's names reach the friend's terminal harmless", () => {
  let shared: SharedCatalog;

  beforeAll(async () => {
    shared = await startSharedCatalog(FILES);
    const own = json<{ entries: { path: string; hash: string }[] }>(await runCli(['catalog', 'contents', 'films', '--json'], shared.owner));
    const hash = own.entries.find((e) => e.path === HOSTILE)!.hash;
    expect((await runCli(['catalog', 'describe', 'films', hash, HOSTILE_DESCRIPTION], shared.owner)).code).toBe(0);
    // the serving process re-reads the saved catalog when it changes; wait until the friend sees the description
    const seen = await until(() => runCli(['catalog', 'contents', 'films', '--json'], shared.friend), (r) => r.stdout.includes('hidden'));
    expect(seen.stdout).toContain('hidden');
  }, 120_000);

  afterAll(async () => shared?.stop());

  it('lists them escaped: no control bytes, one table row per file', async () => {
    const listed = await runCli(['catalog', 'contents', 'films'], shared.friend);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toMatch(CONTROLS);
    const rows = listed.stdout.split('\n').filter((l) => l.startsWith('│') && !l.includes('Path') && !l.includes('revision'));
    expect(rows).toHaveLength(Object.keys(FILES).length);
    expect(listed.stdout).toContain('\\x1b[2J\\x1b]0;pwned\\x07\\x1b[31mred\\x0aforged │ row\\u202e.txt');
    expect(listed.stdout).toContain('nice\\x9b2J\\x7f\\x1b[8m hidden');
  }, 60_000);

  it('keeps the exact names in --json', async () => {
    const listing = json<{ entries: { path: string; description?: string }[] }>(await runCli(['catalog', 'contents', 'films', '--json'], shared.friend));
    const entry = listing.entries.find((e) => e.path === HOSTILE);
    expect(entry?.description).toBe(HOSTILE_DESCRIPTION);
  }, 60_000);
});
