import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeJwt, type Account } from '@natster/claims';
import { HubAccounts, credsPath, ensureNatsServer, initHub, readHubInfo, startNatsServer, writeHubInfo, type Hub, type RunningServer } from '@natster/hub';
import { connectVerdict, freePort, startTestHub, type ConnectVerdict } from '@natster/testing';

const TOO_MANY = 'maximum account active connections exceeded';
const TOO_MANY_SUBS = 'maximum subscriptions exceeded';

async function serve(hub: Hub): Promise<RunningServer> {
  return startNatsServer({ bin: ensureNatsServer(), config: hub.layout.config, httpPort: hub.info.http_port, logFile: join(hub.layout.logs, 'nats-server.log') });
}

describe('account connection limits from hub.json', () => {
  const open: ConnectVerdict[] = [];
  let dir: string;
  let server: RunningServer | undefined;
  afterAll(async () => {
    for (const c of open) c.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the defaults into hub.json, and an edited limit reaches a hub created before it: the (N+1)th bootstrap connection is refused', async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-limits-'));
    const first = await initHub(dir, { host: '127.0.0.1', port: await freePort(), httpPort: await freePort() });
    expect(first.info.account_limits?.bootstrap).toEqual({ conn: 10, subs: 8 });
    expect(first.info.signup_rate?.global).toEqual({ burst: 20, per_minute: 20 });
    server = await serve(first);
    await server.stop();

    // the operator edits hub.json, then `hub up` runs initHub again and restarts the server
    const info = (await readHubInfo(first.layout.info))!;
    await writeHubInfo(first.layout.info, { ...info, account_limits: { ...info.account_limits!, bootstrap: { conn: 3, subs: 4 }, service: { conn: 50, subs: 500 } } });
    const again = await initHub(dir);
    const hubClaims = decodeJwt<Account>(again.accountJwts.HUB).nats.limits;
    expect(hubClaims).toMatchObject({ conn: 50, subs: 500 });
    server = await serve(again);

    const creds = await readFile(credsPath(again.layout, HubAccounts.bootstrap), 'utf8');
    for (let i = 0; i < 3; i++) {
      const c = await connectVerdict(again.info.url, creds);
      open.push(c);
      expect(c.verdict).toBe('accepted');
    }
    const fourth = await connectVerdict(again.info.url, creds);
    open.push(fourth);
    expect(fourth.verdict).toBe(TOO_MANY);

    // a freed slot is usable again
    open.shift()!.close();
    await expect.poll(async () => {
      const c = await connectVerdict(again.info.url, creds);
      open.push(c);
      return c.verdict;
    }).toBe('accepted');
  });

  it("the edited subscription cap reaches the server too: a bootstrap connection's (N+1)th subscription is refused", async () => {
    const c = open.find((o) => o.verdict === 'accepted')!;
    for (let sid = 1; sid <= 4; sid++) expect(await c.send(`SUB _INBOX.limits.${sid} ${sid}`)).toBe('ok');
    expect(await c.send('SUB _INBOX.limits.5 5')).toBe(TOO_MANY_SUBS);
  });

  it('refuses a hub.json limit that would lock an account out, naming the entry', async () => {
    const info = (await readHubInfo(join(dir, 'hub.json')))!;
    await writeHubInfo(join(dir, 'hub.json'), { ...info, account_limits: { ...info.account_limits!, user: { conn: 0, subs: 10 } } });
    await expect(initHub(dir)).rejects.toThrow(/account_limits\.user\.conn must be a whole number ≥ 1/);
  });
});

describe('user account limits', () => {
  it("a user account's JWT caps hold as well: its (N+1)th connection and a connection's (N+1)th subscription are refused", async () => {
    const th = await startTestHub({ userLimits: { conn: 2, subs: 3 } });
    const open: ConnectVerdict[] = [];
    try {
      const creds = await readFile((await th.createUser('capped')).credsPath, 'utf8');
      for (let i = 0; i < 2; i++) open.push(await connectVerdict(th.url, creds));
      expect(open.map((c) => c.verdict)).toEqual(['accepted', 'accepted']);
      open.push(await connectVerdict(th.url, creds));
      expect(open[2]!.verdict).toBe(TOO_MANY);

      const c = open[0]!;
      for (let sid = 1; sid <= 3; sid++) expect(await c.send(`SUB natster.catalog.films.${sid} ${sid}`)).toBe('ok');
      expect(await c.send('SUB natster.catalog.films.4 4')).toBe(TOO_MANY_SUBS);
    } finally {
      for (const c of open) c.close();
      await th.stop();
    }
  });
});
