import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthority, type Authority } from '@natster/accounts';
import { revokeOwnUser } from '@natster/client';
import { loadContext, readAccountSeed } from '@natster/context';
import { readHubInfo, writeHubInfo } from '@natster/hub';
import { connectNatster, createLogger } from '@natster/nats';
import { connectVerdict, startTestHub, type TestHub } from '@natster/testing';
import { mintPortalLogin } from '../src/commands/login';
import { json, runCli } from './run-cli';

describe('natster init under the signup rate, and portal creds that revoke themselves', () => {
  let th: TestHub;
  let authority: Authority;
  let home: string;

  beforeAll(async () => {
    th = await startTestHub();
    // the hub's operator allows one signup at a time, one a minute
    const info = (await readHubInfo(th.hub.layout.info))!;
    await writeHubInfo(th.hub.layout.info, { ...info, signup_rate: { global: { burst: 1, per_minute: 1 }, per_connection: { burst: 3, per_minute: 1 } } });
    authority = await startAuthority({ hubDir: th.dir, logger: createLogger('accounts', { write: () => {} }), eventRetryDelaysMs: [] });
    home = await mkdtemp(join(tmpdir(), 'natster-cli-home-'));
  });
  afterAll(async () => {
    await authority?.stop();
    await th?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('init shows why a signup was refused and when to retry', async () => {
    const env = { NATSTER_HOME: home, NATSTER_HUB_DIR: th.dir };
    json(await runCli(['init', '--name', 'First', '--json'], env));
    const refused = await runCli(['init', '--name', 'Second', '--context', 'second'], env);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/too many signups right now: retry after \d+ s/);
  });

  it('the creds `natster login` mints may revoke themselves, after which they no longer connect', async () => {
    process.env.NATSTER_HOME = home; // where the first test's init saved the context and its seed
    const context = await loadContext('default');
    const login = await mintPortalLogin(context, await readAccountSeed(context), 7);
    const nc = await connectNatster({ servers: th.url, creds: login.creds, name: 'portal-session', failFast: true });
    try {
      await revokeOwnUser(nc, login.creds);
    } finally {
      await nc.close().catch(() => undefined);
    }
    await expect
      .poll(async () => {
        const attempt = await connectVerdict(th.url, login.creds);
        attempt.close();
        return attempt.verdict;
      })
      .toBe('authorization violation');
  });
});
