import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthority, type Authority } from '@natster/accounts';
import { AccountsClient } from '@natster/client';
import { connectNatster, createLogger } from '@natster/nats';
import { freePort, startTestHub, type TestHub } from '@natster/testing';
import { json, runCli } from './run-cli';

interface Facts {
  context: string;
  account: string;
  display_name: string | null;
  hub_url: string;
  creds_path: string;
  created_at: string;
  created?: boolean;
}

describe('natster init and whoami', () => {
  let th: TestHub;
  let authority: Authority;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    th = await startTestHub();
    authority = await startAuthority({ hubDir: th.dir, logger: createLogger('accounts', { write: () => {} }), eventRetryDelaysMs: [] });
    home = await mkdtemp(join(tmpdir(), 'natster-cli-home-'));
    env = { NATSTER_HOME: home, NATSTER_HUB_DIR: th.dir };
  });
  afterAll(async () => {
    await authority?.stop();
    await th?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('two users init against the same hub, each connects with its own creds and sees its own account', async () => {
    const alice = json<Facts>(await runCli(['init', '--name', 'Alice', '--json'], env));
    const bob = json<Facts>(await runCli(['--context', 'bob', 'init', '--name', 'Bob', '--json'], env));
    expect(alice).toMatchObject({ context: 'default', display_name: 'Alice', hub_url: th.url, created: true });
    expect(bob).toMatchObject({ context: 'bob', display_name: 'Bob', hub_url: th.url, created: true });
    expect(alice.account).not.toBe(bob.account);
    expect((await stat(alice.creds_path)).mode & 0o777).toBe(0o600);

    for (const who of [alice, bob]) {
      const nc = await connectNatster({ servers: th.url, credsPath: who.creds_path, name: who.context, failFast: true });
      expect((await new AccountsClient(nc).get()).account).toBe(who.account);
      await nc.close();
    }

    const whoAlice = json<Facts>(await runCli(['whoami', '--json'], env));
    const whoBob = json<Facts>(await runCli(['whoami', '--context', 'bob', '--json'], env));
    const { created: _created, ...aliceFacts } = alice;
    expect(whoAlice).toMatchObject(aliceFacts);
    expect(whoBob.account).toBe(bob.account);
    const table = await runCli(['whoami', '--context', 'bob'], env);
    expect(table.stdout).toMatch(new RegExp(`Account\\s+│ ${bob.account}`));
    expect(table.stdout).toMatch(/Display name\s+│ Bob/);
  });

  it('re-running init keeps the context unless --force', async () => {
    const before = json<Facts>(await runCli(['init', '--context', 'carol', '--json'], env));
    const again = await runCli(['init', '--context', 'carol'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`context 'carol' already exists (account ${before.account}`);
    expect(json<Facts>(await runCli(['whoami', '--context', 'carol', '--json'], env)).account).toBe(before.account);
    const forced = json<Facts>(await runCli(['init', '--context', 'carol', '--force', '--json'], env));
    expect(forced.account).not.toBe(before.account);
  });

  it('errors say what to do, without a stack trace', async () => {
    const missing = await runCli(['whoami', '--context', 'nobody'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("error: no context 'nobody': run `natster init --context nobody`\n");

    const elsewhere = `nats://127.0.0.1:${await freePort()}`;
    const noCreds = await runCli(['init', '--context', 'lost', '--hub', elsewhere], env);
    expect(noCreds.stderr).toBe(`error: joining ${elsewhere} needs an invite: ask the hub's owner for one (\`natster hub invite\`) and run \`natster init --invite <line>\`\n`);

    const noHub = await runCli(['init', '--context', 'lost', '--hub', elsewhere, '--bootstrap-creds', join(th.dir, 'creds', 'BOOTSTRAP.creds')], env);
    expect(noHub.code).toBe(1);
    expect(noHub.stderr).toMatch(/^error: no hub at nats:\/\/127\.0\.0\.1:\d+: start one with `natster hub up`/);
    expect(noHub.stderr).not.toMatch(/\n\s+at /);

    const nowhere = await runCli(['init', '--context', 'lost'], { ...env, NATSTER_HUB_DIR: join(home, 'no-hub-here') });
    expect(nowhere.stderr).toContain('no hub to join: start one here with `natster hub up`');
  });
});
