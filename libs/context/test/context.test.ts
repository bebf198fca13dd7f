import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newAccountKey, newUserKey } from '@natster/claims';
import {
  catalogsDir,
  contextExists,
  listContexts,
  loadContext,
  natsterHome,
  readAccountSeed,
  saveContext,
  writeAccountSeed,
  writeUserCreds,
  type NatsterContext,
} from '../src';

describe('context store', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'natster-home-'));
    process.env.NATSTER_HOME = home;
  });
  afterEach(async () => {
    delete process.env.NATSTER_HOME;
    await rm(home, { recursive: true, force: true });
  });

  async function makeContext(name: string): Promise<NatsterContext> {
    const account = newAccountKey();
    const user = newUserKey();
    const ctx: NatsterContext = {
      name,
      hub_url: 'nats://127.0.0.1:4222',
      account: account.publicKey,
      user: user.publicKey,
      creds_path: await writeUserCreds(name, 'creds text'),
      account_seed_path: await writeAccountSeed(account.publicKey, account.seed),
      display_name: `${name} person`,
      created_at: new Date().toISOString(),
    };
    await saveContext(ctx);
    return ctx;
  }

  it('NATSTER_HOME moves everything', () => {
    expect(natsterHome()).toBe(home);
    expect(catalogsDir('work')).toBe(join(home, 'catalogs', 'work'));
  });

  it('saves, loads and lists named contexts; secrets are 0600', async () => {
    const a = await makeContext('default');
    const b = await makeContext('work');
    expect(await loadContext('default')).toEqual(a);
    expect(await loadContext('work')).toEqual(b);
    expect((await listContexts()).map((c) => c.name)).toEqual(['default', 'work']);
    expect(a.creds_path).toBe(join(home, 'creds', 'default.creds'));
    expect(a.account_seed_path).toBe(join(home, 'keys', `${a.account}.nk`));
    for (const path of [a.creds_path, a.account_seed_path]) expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readAccountSeed(a)).startsWith('SA')).toBe(true);
    // the context file itself holds no secret
    expect(await readFile(join(home, 'contexts', 'default.json'), 'utf8')).not.toMatch(/SA[A-Z2-7]{50}/);
  });

  it('a missing context says how to create it', async () => {
    expect(await contextExists('nope')).toBe(false);
    await expect(loadContext('nope')).rejects.toThrow("no context 'nope': run `natster init --context nope`");
    await expect(loadContext('default')).rejects.toThrow("no context 'default': run `natster init`");
  });

  it('refuses context names that would escape the folder', async () => {
    await expect(loadContext('../x')).rejects.toThrow(/invalid context name/);
    expect(() => catalogsDir('a/b')).toThrow(/invalid context name/);
  });
});
