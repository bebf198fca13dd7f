import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newAccountKey, newUserKey } from '@natster/claims';
import {
  catalogsDir,
  exportContext,
  importContext,
  loadContext,
  readContextExport,
  saveContext,
  writeAccountSeed,
  writeContextExport,
  writeContextHubFile,
  writeUserCreds,
} from '../src';

const CATALOG = {
  version: 1,
  name: 'films',
  description: 'Films',
  root: '/home/ada/Videos',
  revision: 3,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-02T00:00:00.000Z',
  entries: [{ path: 'a.mp4', hash: 'a'.repeat(64), size: 10, mtime_ms: 1, mime_type: 'video/mp4' }],
};

/** `natster context export` on the laptop, `natster context import` on the NAS: two NATSTER_HOMEs. */
describe('context export and import', () => {
  let root: string;
  const home = (name: string) => (process.env.NATSTER_HOME = join(root, name));
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'natster-export-'));
  });
  afterEach(async () => {
    delete process.env.NATSTER_HOME;
    await rm(root, { recursive: true, force: true });
  });

  async function laptopContext() {
    home('laptop');
    const account = newAccountKey();
    await saveContext({
      name: 'default',
      hub_url: 'tls://127.0.0.1:4222',
      account: account.publicKey,
      user: newUserKey().publicKey,
      creds_path: await writeUserCreds('default', 'USER CREDS\n'),
      account_seed_path: await writeAccountSeed(account.publicKey, account.seed),
      created_at: new Date().toISOString(),
      ca_path: await writeContextHubFile('default', 'ca.pem', 'CA PEM\n'),
      hub_dir: '/somewhere/hub',
    });
    await mkdir(catalogsDir('default'), { recursive: true });
    await writeFile(join(catalogsDir('default'), 'films.json'), JSON.stringify(CATALOG));
    return account;
  }

  it('moves the context, creds, CA and catalogs (0600, paths of the new home), never the account seed', async () => {
    const account = await laptopContext();
    const file = join(root, 'owner.natster');
    await writeContextExport(file, await exportContext('default', { hubUrl: 'tls://media.example.com:4222' }));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).not.toContain(account.seed);

    home('nas');
    const { context, catalogs } = await importContext(await readContextExport(file));
    expect(catalogs).toEqual(['films']);
    expect(await loadContext('default')).toEqual(context);
    expect(context).toMatchObject({ hub_url: 'tls://media.example.com:4222', account: account.publicKey });
    expect(context.hub_dir).toBeUndefined();
    for (const path of [context.creds_path, context.ca_path!]) {
      expect(path.startsWith(join(root, 'nas'))).toBe(true);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
    expect(await readFile(context.creds_path, 'utf8')).toBe('USER CREDS\n');
    expect(await readFile(context.ca_path!, 'utf8')).toBe('CA PEM\n');
    await expect(stat(context.account_seed_path)).rejects.toThrow();
    expect(JSON.parse(await readFile(join(catalogsDir('default'), 'films.json'), 'utf8'))).toEqual(CATALOG);
  });

  it('refuses a file that is not an export, and a context of another account under the same name', async () => {
    await laptopContext();
    const file = join(root, 'owner.natster');
    await writeContextExport(file, await exportContext('default'));
    await writeFile(join(root, 'junk'), '{"format":"something else"}');
    await expect(readContextExport(join(root, 'junk'))).rejects.toThrow(/not a natster context export/);

    await laptopContext(); // another account, same home and name
    await expect(importContext(await readContextExport(file))).rejects.toThrow(/another account/);
    const { context } = await importContext(await readContextExport(file), { name: 'nas' });
    expect(context.name).toBe('nas');
  });
});
