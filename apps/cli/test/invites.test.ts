import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newAccountKey } from '@natster/claims';
import { signup } from '@natster/client';
import { HubAccounts, credsPath } from '@natster/hub';
import { damageAccount } from '../../../services/accounts/test/old-damage';
import { startPlatform, until, type Platform } from './platform';
import { json, runCli } from './run-cli';

interface Minted {
  id: string;
  line: string;
  uses: number;
}
interface Listed {
  id: string;
  uses_left: number;
  state: string;
  note?: string;
}

/** The hub's owner (NATSTER_HUB_DIR set) and a friend's machine (its own NATSTER_HOME, no hub dir at all). */
describe('invites: one pasted line joins an invite-only hub', () => {
  let platform: Platform;
  let ownerHome: string;
  let owner: Record<string, string>;
  const friendHomes: string[] = [];

  beforeAll(async () => {
    expect(process.env.NATSTER_HUB_DIR).toBeUndefined();
    platform = await startPlatform({ signup: 'invite' });
    ownerHome = await mkdtemp(join(tmpdir(), 'natster-owner-'));
    owner = { NATSTER_HOME: ownerHome, NATSTER_HUB_DIR: platform.th.dir };
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all([ownerHome, ...friendHomes].map((h) => h && rm(h, { recursive: true, force: true })));
  });

  async function friendMachine(): Promise<Record<string, string>> {
    const home = await mkdtemp(join(tmpdir(), 'natster-friend-'));
    friendHomes.push(home);
    return { NATSTER_HOME: home };
  }

  const invite = async (...args: string[]) => json<Minted>(await runCli(['hub', 'invite', '--json', ...args], owner));

  it('a friend joins with only the invite line, then whoami, login and catalog ls work; hub invites shows it used', async () => {
    const minted = await invite('--note', 'for Dana');
    expect(minted.line).toMatch(/^natster-invite:[A-Za-z0-9_-]+$/);
    console.log(`invite line: ${minted.line.length} characters (no CA: this hub is not public)`);
    const plain = await runCli(['hub', 'invite', '--uses', '2', '--expires', '1d', '--qr'], owner);
    const [first, ...qr] = plain.stdout.trim().split('\n');
    expect(first).toMatch(/^natster-invite:[A-Za-z0-9_-]+$/);
    expect(qr.length).toBeGreaterThan(30);
    expect(qr.join('')).toMatch(/^[█▀▄ ]+$/);
    expect(plain.stderr).toMatch(/2 use\(s\).*natster hub invite --revoke [0-9a-f]{12}/);

    const friend = await friendMachine();
    const joined = json<{ account: string; hub_url: string }>(await runCli(['init', '--invite', minted.line, '--name', 'Dana', '--json'], friend));
    expect(joined.hub_url).toBe(platform.th.url);
    const context = JSON.parse(await readFile(join(friend.NATSTER_HOME!, 'contexts', 'default.json'), 'utf8'));
    expect(context).toMatchObject({ portal_url: platform.th.hub.info.portal_url, portal_xkey: platform.th.hub.info.portal_xkey });
    expect(context.hub_dir).toBeUndefined();

    expect(json<{ account: string }>(await runCli(['whoami', '--json'], friend)).account).toBe(joined.account);
    // the portal's key came with the line: login needs no flag and no hub dir
    const login = json<{ claim_url: string }>(await runCli(['login', '--no-open', '--json'], friend));
    expect(login.claim_url.startsWith(platform.th.hub.info.portal_url)).toBe(true);
    const ls = await until(() => runCli(['catalog', 'ls', '--json'], friend), (r) => r.code === 0 && r.stdout.includes('"hub"'));
    expect(json<{ catalog: string; imported: boolean }[]>(ls)).toContainEqual(expect.objectContaining({ catalog: 'hub', imported: true }));

    const listed = json<Listed[]>(await runCli(['hub', 'invites', '--json'], owner));
    expect(listed.find((r) => r.id === minted.id)).toMatchObject({ uses_left: 0, state: 'used up', note: 'for Dana' });
    expect((await runCli(['hub', 'invites'], owner)).stdout).toMatch(new RegExp(`${minted.id}\\s+│ 0 of 1\\s+│.*│ used up\\s+│ for Dana`));

    const again = await runCli(['--context', 'again', 'init', '--invite', minted.line], await friendMachine());
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/this invite has already been used \(1 of 1\); ask the hub’s owner for a new one/);
  });

  it('a revoked invite, a damaged line and no invite at all are refused, saying what to do', async () => {
    const minted = await invite();
    expect((await runCli(['hub', 'invite', '--revoke', minted.id], owner)).stdout).toMatch(new RegExp(`revoked invite ${minted.id}`));
    expect(json<Listed[]>(await runCli(['hub', 'invites', '--json'], owner)).find((r) => r.id === minted.id)).toMatchObject({ state: 'revoked' });
    const friend = await friendMachine();
    const revoked = await runCli(['init', '--invite', minted.line], friend);
    expect(revoked.stderr).toMatch(/this invite was revoked on \d{4}-\d\d-\d\d; ask the hub’s owner for a new one/);

    const fresh = await invite();
    const damaged = fresh.line.slice(0, 40) + (fresh.line[40] === 'A' ? 'B' : 'A') + fresh.line.slice(41);
    for (const line of ['hello', damaged, fresh.line.slice(0, 60)]) {
      const refused = await runCli(['init', '--invite', line], friend);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/this is not a Natster invite \(.+\): paste the whole line the hub's owner sent, starting with natster-invite:/);
    }

    // the public signup creds alone no longer make an account
    const bootstrap = credsPath(platform.th.hub.layout, HubAccounts.bootstrap);
    const stranger = await runCli(['init', '--hub', platform.th.url, '--bootstrap-creds', bootstrap], friend);
    expect(stranger.code).not.toBe(0);
    expect(stranger.stderr).toMatch(/this hub signs up by invite only: ask the hub’s owner for an invite, then run `natster init --invite <line>`/);
    await expect(stat(join(friend.NATSTER_HOME!, 'contexts', 'default.json'))).rejects.toThrow(/ENOENT/);
  });

  it('natster init next to the hub still needs no invite: it mints itself one from the hub dir', async () => {
    const before = json<Listed[]>(await runCli(['hub', 'invites', '--json'], owner)).length;
    const local = json<{ created: boolean; hub_url: string }>(await runCli(['init', '--name', 'Owner', '--json'], owner));
    expect(local).toMatchObject({ created: true, hub_url: platform.th.url });
    const listed = json<Listed[]>(await runCli(['hub', 'invites', '--json'], owner));
    expect(listed).toHaveLength(before + 1);
    expect(listed.at(-1)).toMatchObject({ uses_left: 0, note: 'natster init on the hub machine' });
  });
});

describe('invites on a public hub (TLS with its own CA, invite-only by default)', () => {
  let platform: Platform;
  let owner: Record<string, string>;
  const homes: string[] = [];

  beforeAll(async () => {
    platform = await startPlatform({ publicHosts: ['127.0.0.4'] });
    homes.push(await mkdtemp(join(tmpdir(), 'natster-owner-')), await mkdtemp(join(tmpdir(), 'natster-friend-')));
    owner = { NATSTER_HOME: homes[0]!, NATSTER_HUB_DIR: platform.th.dir };
  });
  afterAll(async () => {
    await platform?.stop();
    await Promise.all(homes.map((h) => rm(h, { recursive: true, force: true })));
  });

  it('the line carries the public URL and the pinned CA: the friend connects over TLS with no other flag, and doctor repairs its account there', async () => {
    const minted = json<Minted>(await runCli(['hub', 'invite', '--json'], owner));
    console.log(`invite line with the hub's CA: ${minted.line.length} characters`);
    const friend = { NATSTER_HOME: homes[1]! };
    const joined = json<{ account: string; hub_url: string }>(await runCli(['init', '--invite', minted.line, '--name', 'Eve', '--json'], friend));
    expect(joined.hub_url).toMatch(/^tls:\/\/127\.0\.0\.4:\d+$/);
    const context = JSON.parse(await readFile(join(friend.NATSTER_HOME, 'contexts', 'default.json'), 'utf8'));
    expect(context.ca_path).toBe(join(friend.NATSTER_HOME, 'contexts', 'default.ca.pem'));
    expect((await readFile(context.ca_path, 'utf8')).trim()).toBe((await readFile(platform.th.caFile!, 'utf8')).trim());
    expect(json<{ account: string }>(await runCli(['whoami', '--json'], friend)).account).toBe(joined.account);
    expect(json<Listed[]>(await runCli(['hub', 'invites', '--json'], owner))).toEqual([expect.objectContaining({ id: minted.id, uses_left: 0 })]);

    // the account loses its import of the authority: doctor repairs it through the signup creds the invite carried, no flag
    expect(context.bootstrap_creds_path).toBe(join(friend.NATSTER_HOME, 'contexts', 'default.bootstrap.creds'));
    expect((await stat(context.bootstrap_creds_path)).mode & 0o777).toBe(0o600);
    await damageAccount(platform.th, joined.account, (imports) => imports.filter((i) => i.local_subject !== 'natster.accounts.>'));
    const repaired = await until(() => runCli(['doctor', '--json'], friend), (r) => r.code !== 0 || json<{ via: string | null }>(r).via !== null);
    expect(repaired.code, repaired.stderr).toBe(0);
    expect(json(repaired)).toMatchObject({ via: 'signup', repaired: [{ import: 'accounts', problem: 'missing' }] });

    // no `signup` in hub.json: a public hub wants an invite, the public signup creds alone are not enough
    const bootstrap = { bootstrapCredsPath: credsPath(platform.th.hub.layout, HubAccounts.bootstrap), url: joined.hub_url, caFile: platform.th.caFile! };
    await expect(signup({ ...bootstrap, accountSeed: newAccountKey().seed })).rejects.toThrow(/this hub signs up by invite only/);
  });
});
