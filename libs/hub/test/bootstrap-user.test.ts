import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubAccounts, credsPath } from '@natster/hub';
import { connectNatster } from '@natster/nats';
import { connectVerdict, startTestHub, type ConnectVerdict, type TestHub } from '@natster/testing';

const dec = new TextDecoder();
const refusedSub = (subject: string) => `permissions violation for subscription to "${subject}"`.toLowerCase();
const refusedPub = (subject: string) => `permissions violation for publish to "${subject}"`.toLowerCase();

/** The public signup creds every `natster init` holds: what they let a stranger do on a real hub. */
describe('the bootstrap (public signup) user', () => {
  let th: TestHub;
  let creds: string;
  const sockets: ConnectVerdict[] = [];
  const bootstrap = async () => {
    const c = await connectVerdict(th.url, creds);
    sockets.push(c);
    expect(c.verdict).toBe('accepted');
    return c;
  };

  beforeAll(async () => {
    th = await startTestHub();
    creds = await readFile(credsPath(th.hub.layout, HubAccounts.bootstrap), 'utf8');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await th?.stop();
  });

  it('requests a signup from the authority and reads the reply in its inbox', async () => {
    const authority = await th.connectAs(HubAccounts.authority);
    authority.subscribe('natster.signup', { callback: (_e, m) => m.respond(new TextEncoder().encode('welcome')) });
    await authority.flush();
    const nc = await connectNatster({ servers: th.url, credsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), name: 'bootstrap-signup' });
    try {
      const reply = await nc.request('natster.signup', new Uint8Array(), { timeout: 10_000 });
      expect(dec.decode(reply.data)).toBe('welcome');
    } finally {
      await nc.close();
    }
  });

  it('may subscribe only to inboxes: not to signups, service subjects or everything', async () => {
    const c = await bootstrap();
    expect(await c.send('SUB _INBOX.mine.* 1')).toBe('ok');
    for (const subject of ['natster.signup', '>', 'natster.>', 'natster.accounts.>', '$SRV.>']) {
      expect(await c.send(`SUB ${subject} 2`)).toBe(refusedSub(subject));
    }
  });

  it('may publish only signup requests: no service subject, and no reply into another client’s inbox', async () => {
    const c = await bootstrap();
    expect(await c.send('PUB natster.signup 0', '')).toBe('ok');
    for (const subject of ['_INBOX.someone.1', 'natster.accounts.whoami', 'natster.global.codes', '$SYS.REQ.SERVER.PING']) {
      expect(await c.send(`PUB ${subject} 0`, '')).toBe(refusedPub(subject));
    }
  });

  it('may not send more than a signup needs in one message (16 KiB)', async () => {
    const c = await bootstrap();
    expect(await c.send(`PUB natster.signup ${16 * 1024}`, 'x'.repeat(16 * 1024))).toBe('ok');
    expect(await c.send(`PUB natster.signup ${16 * 1024 + 1}`, 'x'.repeat(16 * 1024 + 1))).toBe('maximum payload violation');
  });
});
