import { join } from 'node:path';
import { credsFile, newAccountKey, newUserKey, signWithSeed, userJwt } from '@natster/claims';
import { signup } from '@natster/client';
import { HubAccounts, credsPath, writeSecret } from '@natster/hub';
import { connectNatster, decodeJson, encodeJson, type NatsConnection } from '@natster/nats';
import { createXKey, decodeXKey, open } from '@natster/crypto';
import { SealedSignupReply, subjects, type Envelope, type SignupReply } from '@natster/protocol';
import type { TestHub } from '@natster/testing';

export interface SignedUpUser {
  account: string;
  accountSeed: string;
  reply: SignupReply;
  nc: NatsConnection;
}

/** Does what `natster init` does: keys, signup through bootstrap, self-signed user creds, connect. */
export async function signUpUser(th: TestHub, name: string, connections: NatsConnection[]): Promise<SignedUpUser> {
  const account = newAccountKey();
  const reply = await signup({ bootstrapCredsPath: bootstrapCreds(th), url: th.url, accountSeed: account.seed, name });
  const user = newUserKey();
  const path = join(th.dir, 'users', `${name}.creds`);
  await writeSecret(path, credsFile(await userJwt({ name, user: user.publicKey }, account.seed), user.seed));
  const nc = await connectNatster({ servers: th.url, credsPath: path, name, failFast: true });
  connections.push(nc);
  return { account: account.publicKey, accountSeed: account.seed, reply, nc };
}

export const bootstrapCreds = (th: TestHub): string => credsPath(th.hub.layout, HubAccounts.bootstrap);

export async function connectBootstrap(th: TestHub, connections: NatsConnection[]): Promise<NatsConnection> {
  const nc = await connectNatster({ servers: th.url, credsPath: bootstrapCreds(th), name: 'bootstrap', failFast: true });
  connections.push(nc);
  return nc;
}

/** A raw request that returns the reply envelope, for refusal tests. */
export async function rawRequest(nc: NatsConnection, subject: string, body: unknown): Promise<Envelope> {
  const data = body instanceof Uint8Array ? body : encodeJson(body);
  const reply = await nc.request(subject, data, { timeout: 5000 });
  return decodeJson(reply.data) as Envelope;
}

export const sign = (seed: string, nonce: string): string => signWithSeed(seed, new TextEncoder().encode(nonce));

/** A raw signup step as a client sends it (with a fresh reply xkey); a 200's sealed data comes back opened. */
export async function rawSignup(nc: NatsConnection, body: Record<string, unknown> | Uint8Array): Promise<Envelope> {
  const key = createXKey();
  const envelope = await rawRequest(nc, subjects.signup(), body instanceof Uint8Array ? body : { ...body, reply_xkey: key.publicKey });
  if (envelope.code !== 200) return envelope;
  const sealed = SealedSignupReply.check(envelope.data);
  const plain = open(Buffer.from(sealed.box, 'base64'), decodeXKey(sealed.sender_xkey), key.secretKey);
  if (!plain) throw new Error('the signup reply was not sealed to our reply xkey');
  return { ...envelope, data: decodeJson(plain) };
}

/** For expect.poll: a pushed JWT or a restarted service takes effect asynchronously, and a loaded machine can take seconds. */
export const SETTLES = { timeout: 15_000, interval: 100 } as const;
