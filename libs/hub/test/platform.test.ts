import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogImports } from '@natster/claims';
import { initHub, natsServerVersion, ensureNatsServer } from '@natster/hub';
import type { NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('operator-mode platform', () => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub();
  });
  afterAll(async () => th?.stop());

  it('re-running hub init reuses every key and account', async () => {
    const again = await initHub(th.dir);
    expect(again.created).toBe(false);
    expect(again.info.operator).toBe(th.hub.info.operator);
    expect(again.info.accounts).toEqual(th.hub.info.accounts);
    expect(again.info.port).toBe(th.hub.info.port);
    expect(natsServerVersion(ensureNatsServer())).toMatch(/^v?2\./);
  });

  it('two users connect with their own creds into their own accounts', async () => {
    const alice = await th.createUser('alice');
    const bob = await th.createUser('bob');
    expect(alice.account).not.toBe(bob.account);
    const a = await alice.connect();
    const sameAccount = await alice.connect('alice-2');
    const b = await bob.connect();
    const heard = async (nc: NatsConnection) => {
      const got: string[] = [];
      nc.subscribe('natster.local.inbox', { callback: (err, msg) => !err && got.push(dec.decode(msg.data)) });
      await nc.flush(); // the server has the subscription before anything is published
      return got;
    };
    const control = await heard(sameAccount);
    const other = await heard(b);

    a.publish('natster.local.inbox', enc.encode('hello'));
    // the same subject inside alice's account is delivered (so the check below can fail)...
    await expect.poll(() => control, { timeout: 15_000 }).toEqual(['hello']);
    // ...and by the time bob's own round trip returns, the server has delivered
    // whatever it had routed to him: nothing crosses without an export/import
    await b.flush();
    expect(other).toEqual([]);
  });

  it("the account token position stamps the caller's real key, and a forged import gets no responders", async () => {
    const owner = await th.createUser('owner');
    const friend = await th.createUser('friend');
    // friend imports owner's catalog "x" properly
    await th.pushAccount('friend', friend.account, catalogImports(friend.account, 'x', owner.account));
    const o = await owner.connect();
    o.subscribe('*.natster.catalog.x.get', { callback: (_e, m) => m.respond(enc.encode(m.subject.split('.')[0])) });
    await o.flush();
    const f = await friend.connect();
    const reply = await f.request('natster.catalog.x.get', enc.encode('{}'), { timeout: 2000 });
    expect(dec.decode(reply.data)).toBe(friend.account);

    // a forger names friend's key as token 1 of its import: the server rejects that import
    const forger = await th.createUser('forger');
    await th.pushAccount('forger', forger.account, [
      { name: 'natster_x', subject: `${friend.account}.natster.catalog.x.>`, local_subject: 'natster.catalog.x.>', type: 'service', account: owner.account },
    ]);
    const g = await forger.connect();
    await expect(g.request('natster.catalog.x.get', enc.encode('{}'), { timeout: 2000 })).rejects.toThrow(/503|no responders/i);
  });
});
