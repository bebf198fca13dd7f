import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromPublic } from 'nkeys.js';
import { newAccountKey } from '@natster/claims';
import { NONCE_BYTES, createXKey, decodeXKey, randomBytes, seal } from '@natster/crypto';
import { HubAccounts, credsPath } from '@natster/hub';
import { Codes, NatsterError, fail, ok, subjects } from '@natster/protocol';
import { decodeJson, encodeJson, type NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import { signup } from '../src/index';

type Mode = 'spec' | 'wrong-key' | 'rate-limited';

/** Seals a reply as docs/protocol.md says: xkv1 + random nonce + box from a single-use key to `reply_xkey`, base64. */
function sealTo(replyXKey: string, reply: unknown) {
  const sender = createXKey();
  const box = seal(new TextEncoder().encode(JSON.stringify(reply)), randomBytes(NONCE_BYTES), decodeXKey(replyXKey), sender.secretKey);
  return { sender_xkey: sender.publicKey, box: Buffer.from(box).toString('base64') };
}

/**
 * signup() against an authority written from docs/protocol.md, served in the
 * HUB account (whose creds stand in for the bootstrap creds here, so the
 * test can answer `natster.signup` itself).
 */
describe('signup against a spec authority on a real nats-server', () => {
  let th: TestHub;
  let authority: NatsConnection;
  let mode: Mode = 'spec';
  const requests: Record<string, string>[] = [];
  const options = (seed: string) => ({ bootstrapCredsPath: credsPath(th.hub.layout, HubAccounts.hub), url: th.url, accountSeed: seed, name: 'Ada' });

  beforeAll(async () => {
    th = await startTestHub();
    authority = await th.connectAs('HUB', 'spec-authority');
    authority.subscribe(subjects.signup(), {
      callback: (_e, msg) => {
        const body = decodeJson(msg.data) as Record<string, string>;
        requests.push(body);
        if (mode === 'rate-limited') return void msg.respond(encodeJson(fail(Codes.tooMany, 'too many signups from this connection: retry after 30 s')));
        const replyKey = mode === 'wrong-key' ? createXKey().publicKey : body.reply_xkey!;
        if (body.step === 'nonce') return void msg.respond(encodeJson(ok(sealTo(replyKey, { nonce: '1700000000000.random.mac' }))));
        const proven = fromPublic(body.account!).verify(new TextEncoder().encode(body.nonce), Buffer.from(body.signature!, 'base64url'));
        if (!proven) return void msg.respond(encodeJson(fail(Codes.forbidden, 'bad signature')));
        msg.respond(encodeJson(ok(sealTo(replyKey, { account: body.account, jwt: 'account.jwt.here', created: true }))));
      },
    });
    await authority.flush();
  });
  afterAll(async () => th?.stop());

  it('signs the nonce with the account seed and opens both sealed replies, each sealed to its own fresh key', async () => {
    mode = 'spec';
    requests.length = 0;
    const account = newAccountKey();
    expect(await signup(options(account.seed))).toEqual({ account: account.publicKey, jwt: 'account.jwt.here', created: true });
    const [nonceStep, completeStep] = requests;
    expect(nonceStep).toMatchObject({ step: 'nonce', account: account.publicKey });
    expect(completeStep).toMatchObject({ step: 'complete', account: account.publicKey, nonce: '1700000000000.random.mac', name: 'Ada' });
    expect(nonceStep!.reply_xkey).toMatch(/^X[A-Z2-7]{55}$/);
    expect(completeStep!.reply_xkey).not.toBe(nonceStep!.reply_xkey);
  });

  it('refuses a reply sealed to another key, saying the hub may not be the one meant', async () => {
    mode = 'wrong-key';
    const error = await signup(options(newAccountKey().seed)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NatsterError);
    expect((error as NatsterError).message).toMatch(/not sealed to this request/);
  });

  it('passes a rate-limit refusal on with its code and when to retry', async () => {
    mode = 'rate-limited';
    const error = await signup(options(newAccountKey().seed)).catch((e: unknown) => e);
    expect([(error as NatsterError).code, (error as NatsterError).message]).toEqual([429, 'too many signups from this connection: retry after 30 s']);
  });
});
