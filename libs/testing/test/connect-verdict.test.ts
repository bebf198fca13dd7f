import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credsFile, newUserKey, parseCreds } from '@natster/claims';
import { HubAccounts, credsPath } from '@natster/hub';
import { connectVerdict, freePort, startTestHub, type ConnectVerdict, type TestHub } from '../src/index';

describe('connectVerdict against a real hub', () => {
  let th: TestHub;
  let hubCreds: string;
  const sockets: ConnectVerdict[] = [];
  const open = async (creds: string) => {
    const c = await connectVerdict(th.url, creds);
    sockets.push(c);
    return c;
  };

  beforeAll(async () => {
    th = await startTestHub();
    hubCreds = await readFile(credsPath(th.hub.layout, HubAccounts.hub), 'utf8');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await th?.stop();
  });

  it('accepts good creds, and classifies a connection signed with the wrong seed as refused', async () => {
    expect((await open(hubCreds)).verdict).toBe('accepted');
    const forged = credsFile(parseCreds(hubCreds).jwt, newUserKey().seed);
    expect((await open(forged)).verdict).toBe('authorization violation');
  });

  it('rejects when nothing listens on the port', async () => {
    await expect(connectVerdict(`nats://127.0.0.1:${await freePort()}`, hubCreds)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('send: the server’s -ERR for the lines sent, or ok; a delivered message never passes for a verdict', async () => {
    const c = await open(hubCreds);
    // payloads that look like a PONG or an -ERR: only their declared size tells them apart
    const pong = 'PONG\r\n';
    expect(await c.send('SUB echo 1', `PUB echo ${pong.length}`, pong, 'SUB bad..subject 2')).toBe('invalid subject');
    const err = "-ERR 'fake'";
    expect(await c.send(`PUB echo ${err.length}`, err)).toBe('ok');
  });
});
