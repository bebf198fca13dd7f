import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeJwt, standardImports, type Account } from '@natster/claims';
import { HubAccounts, lookupAccountJwt } from '@natster/hub';
import { startTestHub } from '../src/index';

const enc = new TextEncoder();
const dec = new TextDecoder();
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startTestHub', () => {
  it('runs a real nats-server on loopback; stop() ends its process and removes its temp dir', async () => {
    const th = await startTestHub();
    try {
      expect(new URL(th.url).hostname).toBe('127.0.0.1');
      expect(alive(th.server.pid)).toBe(true);
      const nc = await th.connectAs(HubAccounts.hub);
      expect(nc.info?.server_name).toBeTruthy();
      await access(th.dir);
    } finally {
      await th.stop();
    }
    await expect.poll(() => alive(th.server.pid), { timeout: 15_000 }).toBe(false);
    await expect(access(th.dir)).rejects.toThrow(/ENOENT/);
  });

  it('createUser: an account of its own, signed like the authority’s (imports, the hub’s user limits)', async () => {
    const th = await startTestHub();
    try {
      const alice = await th.createUser('alice');
      const bob = await th.createUser('bob');
      expect(alice.account).not.toBe(bob.account);

      const sys = await th.connectAs(HubAccounts.sys);
      const claims = decodeJwt<Account>((await lookupAccountJwt(sys, alice.account))!).nats;
      expect(claims.limits).toMatchObject(th.hub.info.account_limits!.user);
      const known = { global: th.hub.info.accounts.NATSTER_GLOBAL, authority: th.hub.info.accounts.AUTHORITY };
      expect(claims.imports).toEqual(expect.arrayContaining(standardImports(alice.account, known).map((s) => s.wanted)));

      // the global service sees each caller's real account in token 1 of the subject (the export's account token)
      const global = await th.connectAs(HubAccounts.global);
      global.subscribe('*.natster.global.whoami', { callback: (_e, m) => m.respond(enc.encode(m.subject.split('.')[0])) });
      await global.flush();
      const whoami = async (user: typeof alice) => dec.decode((await (await user.connect()).request('natster.global.whoami', enc.encode(''), { timeout: 10_000 })).data);
      expect(await whoami(alice)).toBe(alice.account);
      expect(await whoami(bob)).toBe(bob.account);
    } finally {
      await th.stop();
    }
  });
});
