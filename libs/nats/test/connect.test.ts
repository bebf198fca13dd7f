import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credsFile, newAccountKey, newUserKey, userJwt } from '@natster/claims';
import { HubAccounts, credsPath } from '@natster/hub';
import { Codes, NatsterError } from '@natster/protocol';
import { freePort, startTestHub, type TestHub } from '@natster/testing';
import { connectNatster } from '../src/index';

async function refusal(connecting: Promise<unknown>): Promise<NatsterError> {
  const error = await connecting.then(
    () => new Error('connected'),
    (e: unknown) => e,
  );
  if (!(error instanceof NatsterError)) throw error;
  return error;
}

describe('connectNatster against a real operator-mode nats-server', () => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub();
  });
  afterAll(async () => th?.stop());

  it('connects with a user’s creds file', async () => {
    const nc = await connectNatster({ servers: th.url, credsPath: credsPath(th.hub.layout, HubAccounts.hub), name: 'connect-ok', failFast: true });
    try {
      expect(nc.info?.server_name).toBeTruthy();
      await nc.flush();
    } finally {
      await nc.close();
    }
  });

  it('a port nobody listens on: 503 that says there is no hub and how to start one', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const error = await refusal(connectNatster({ servers: url, name: 'nobody-home', failFast: true }));
    expect(error.code).toBe(Codes.unavailable);
    expect(error.message).toBe(`no hub at ${url}: start one with \`natster hub up\` or pass --hub`);
  });

  it('a known user JWT with the wrong seed: 403 that says to run init again', async () => {
    const hubCreds = await readFile(credsPath(th.hub.layout, HubAccounts.hub), 'utf8');
    const jwt = /-----BEGIN NATS USER JWT-----\s+(\S+)/.exec(hubCreds)?.[1];
    expect(jwt).toBeDefined();
    const creds = credsFile(jwt!, newUserKey().seed);
    const error = await refusal(connectNatster({ servers: th.url, creds, name: 'wrong-seed', failFast: true }));
    expect(error.code).toBe(Codes.forbidden);
    expect(error.message).toMatch(/refused these credentials: run `natster init` again/);
  });

  it('a tls:// URL of a hub without TLS is refused, not silently sent in clear', async () => {
    const url = th.url.replace('nats://', 'tls://');
    const error = await refusal(connectNatster({ servers: url, credsPath: credsPath(th.hub.layout, HubAccounts.hub), name: 'tls-wanted', failFast: true }));
    expect(error.message).toMatch(/this hub does not offer TLS, but its tls:\/\/ URL or a CA file asked for it/);
  });

  // The server looks the account up before refusing (about 5 s on nats-server 2.9): the client must wait for that answer.
  it('creds of an account the hub does not know: 403 that says to run init again', async () => {
    const account = newAccountKey();
    const user = newUserKey();
    const creds = credsFile(await userJwt({ name: 'stranger', user: user.publicKey }, account.seed), user.seed);
    const error = await refusal(connectNatster({ servers: th.url, creds, name: 'stranger', failFast: true }));
    expect(error.code).toBe(Codes.forbidden);
    expect(error.message).toMatch(/refused these credentials: run `natster init` again/);
  });
});
