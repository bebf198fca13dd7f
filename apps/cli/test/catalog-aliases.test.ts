import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damageAccount, oldImport } from '../../../services/accounts/test/old-damage';
import { startPlatform, until, type Platform } from './platform';
import { json, runCli } from './run-cli';

interface Row { catalog: string; alias: string | null; owner: string; role: string; imported: boolean }
interface Check { account: string; damaged: { import: string; problem: string }[]; repaired: { import: string; problem: string }[]; via: string | null }

/**
 * Two owners share a catalog called `films` with one friend: the friend
 * imports both and addresses each by its local alias; catalogs with names
 * Natster reserves are refused; `doctor` and `init` repair an account an old
 * authority damaged.
 */
describe('catalog aliases, reserved names and account repair', () => {
  let platform: Platform;
  let tmp: string;
  const env = (who: string) => ({ NATSTER_HOME: join(tmp, who), NATSTER_HUB_DIR: platform.th.dir, NATSTER_LOG_LEVEL: 'warn' });
  const keys: Record<string, string> = {};
  const running: ChildProcess[] = [];
  let secondAlias: string;

  beforeAll(async () => {
    platform = await startPlatform();
    tmp = await mkdtemp(join(tmpdir(), 'natster-cli-aliases-'));
    for (const who of ['first', 'second', 'friend']) {
      keys[who] = json<{ account: string }>(await runCli(['init', '--name', who, '--json'], env(who))).account;
    }
    secondAlias = `films~${keys.second!.slice(0, 8)}`;
    for (const who of ['first', 'second']) {
      await mkdir(join(tmp, `${who}-media`), { recursive: true });
      await writeFile(join(tmp, `${who}-media`, `${who}.txt`), `films of ${who}\n`);
      json(await runCli(['catalog', 'new', 'films', `${who}'s films`, join(tmp, `${who}-media`), '--json'], env(who)));
      expect((await runCli(['catalog', 'share', 'films', keys.friend!], env(who))).code).toBe(0);
    }
    // only the second owner serves: what answers at each alias shows where it leads (and saves a server and a chunker)
    running.push(await platform.startCli(['catalog', 'serve', 'films', '--threads', '1'], env('second'), /serving films/));
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('refuses to make a catalog with a reserved name, saying why', async () => {
    for (const name of ['global', 'accounts']) {
      const refused = await runCli(['catalog', 'new', name, 'x', join(tmp, 'first-media')], env('first'));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`catalog name "${name}" is reserved by Natster`);
    }
  });

  it('imports two owners’ films; each is listed, read and downloaded by its alias, and unimported by it', async () => {
    const friend = env('friend');
    await until(() => runCli(['catalog', 'inbox', '--json'], friend), (r) => (r.stdout.match(/"films"/g) ?? []).length === 2);
    const ambiguous = await runCli(['catalog', 'inbox', '--import', 'films'], friend);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('2 accounts shared a catalog named films');
    expect(ambiguous.stderr).toContain(`films~${keys.first!.slice(0, 8)}`);
    expect(ambiguous.stderr).toContain(secondAlias);

    const first = json<{ alias: string }>(await runCli(['catalog', 'inbox', '--import', `films~${keys.first!.slice(0, 8)}`, '--json'], friend));
    expect(first.alias).toBe('films');
    const second = await runCli(['catalog', 'inbox', '--import', 'films'], friend);
    expect(second.stdout).toContain(`as ${secondAlias}`);

    const rows = json<Row[]>(await runCli(['catalog', 'ls', '--json'], friend)).filter((r) => r.catalog === 'films');
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ alias: 'films', owner: keys.first, imported: true }),
        expect.objectContaining({ alias: secondAlias, owner: keys.second, imported: true }),
      ]),
    );
    const table = await runCli(['catalog', 'ls'], friend);
    expect(table.stdout).toContain(secondAlias);

    const contents = await until(() => runCli(['catalog', 'contents', secondAlias, '--json'], friend), (r) => r.code === 0);
    expect(json<{ entries: { path: string }[] }>(contents).entries.map((e) => e.path)).toEqual(['second.txt']);
    expect((await runCli(['catalog', 'contents', 'films'], friend)).stderr).toContain('catalog films is offline');

    const out = join(tmp, 'second.txt');
    expect((await runCli(['catalog', 'download', secondAlias, 'second.txt', out, '--json'], friend)).code).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('films of second\n');

    const removed = await runCli(['catalog', 'unimport', secondAlias], friend);
    expect(removed.stdout).toContain(`Removed ${secondAlias} (catalog films from ${keys.second})`);
  }, 180_000);

  it('doctor repairs the global import an old catalog named global deleted; init repairs a lost authority import', async () => {
    const victim = env('friend');
    const friendKey = keys.friend!;
    await damageAccount(platform.th, friendKey, (imports) => oldImport(imports, friendKey, 'global', keys.first!));
    const broken = await until(() => runCli(['stats'], victim), (r) => r.code !== 0);
    expect(broken.stderr).toMatch(/global service/);

    const check = json<Check>(await runCli(['doctor', '--json'], victim));
    expect(check).toMatchObject({ account: friendKey, damaged: [{ import: 'global', problem: 'missing' }], repaired: [{ import: 'global', problem: 'missing' }], via: 'accounts' });
    expect((await until(() => runCli(['stats'], victim), (r) => r.code === 0)).code).toBe(0);

    // an old catalog named accounts took the import of the authority itself: init reaches it through signup instead
    await damageAccount(platform.th, friendKey, (imports) => oldImport(imports, friendKey, 'accounts', keys.first!));
    const init = await runCli(['init'], victim);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`context 'default' already exists (account ${friendKey}`);
    expect(init.stdout).toMatch(/Repaired account[\s\S]*the account authority \(natster\.accounts\)\s+│ missing\s+│ restored/);
    expect((await runCli(['doctor'], victim)).stdout).toContain('are intact');
  }, 180_000);
});
