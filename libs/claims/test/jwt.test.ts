import { describe, expect, it } from 'vitest';
import { fromPublic } from 'nkeys.js';
import {
  accountJwt,
  catalogImports,
  catalogOwnerExports,
  credsFile,
  decodeJwt,
  newAccountKey,
  newOperatorKey,
  newUserKey,
  parseCreds,
  resignAccountJwt,
  signWithSeed,
  userAccountLimits,
  userJwt,
  type Account,
  type User,
} from '../src/index';

const enc = new TextEncoder();
const signing = newOperatorKey();

describe('account and user JWTs', () => {
  it('an account signed without limits states them explicitly (nats-server 2.9 refuses every connection otherwise)', async () => {
    const plain = decodeJwt<Account>(await accountJwt({ name: 'plain', account: newAccountKey().publicKey }, signing.seed)).nats.limits;
    expect(plain).toMatchObject({ conn: -1, subs: -1, payload: -1, disk_storage: 0, mem_storage: 0 });
    const js = decodeJwt<Account>(await accountJwt({ name: 'js', account: newAccountKey().publicKey, jetstream: true }, signing.seed)).nats.limits;
    expect(js).toMatchObject({ conn: -1, disk_storage: -1, mem_storage: -1 });
  });

  it('re-signing for an import edit changes the imports only: caps, revocations, exports and name carry over', async () => {
    const account = newAccountKey().publicKey;
    const revoked = newUserKey().publicKey;
    const before = await accountJwt(
      { name: 'user-account', account, exports: catalogOwnerExports(), limits: userAccountLimits({ conn: 2, subs: 3 }), revocations: { [revoked]: 1_700_000_000 } },
      signing.seed,
    );
    const added = catalogImports(account, 'films', newAccountKey().publicKey);
    const after = decodeJwt<Account>(await resignAccountJwt(before, signing.seed, (current) => ({ imports: [...(current.imports ?? []), ...added] })));
    const old = decodeJwt<Account>(before);
    expect(after.nats.imports).toEqual(added);
    expect(after.nats.limits).toEqual(old.nats.limits);
    expect(after.nats.limits).toMatchObject({ conn: 2, subs: 3 });
    expect(after.nats.revocations).toEqual({ [revoked]: 1_700_000_000 });
    expect(after.nats.exports).toEqual(old.nats.exports);
    expect([after.name, after.sub, after.iss]).toEqual(['user-account', account, signing.publicKey]);
  });

  it('a user JWT is issued by its account and keeps its permissions and expiry', async () => {
    const account = newAccountKey();
    const user = newUserKey();
    const expires = Math.floor(Date.now() / 1000) + 3600;
    const claims = decodeJwt<User>(await userJwt({ name: 'u', user: user.publicKey, permissions: { pub: { allow: ['natster.signup'] }, sub: { allow: ['_INBOX.>'] } }, expires }, account.seed));
    expect([claims.iss, claims.sub, claims.exp]).toEqual([account.publicKey, user.publicKey, expires]);
    expect(claims.nats).toMatchObject({ pub: { allow: ['natster.signup'] }, sub: { allow: ['_INBOX.>'] } });
  });

  it('a .creds file gives back its JWT and seed, and anything else is refused with what a creds file needs', async () => {
    const account = newAccountKey();
    const user = newUserKey();
    const jwt = await userJwt({ name: 'u', user: user.publicKey }, account.seed);
    expect(parseCreds(credsFile(jwt, user.seed))).toEqual({ jwt, seed: user.seed });
    expect(parseCreds(credsFile(jwt, user.seed).replace(/\n/g, '\r\n'))).toEqual({ jwt, seed: user.seed });
    expect(() => parseCreds(`${jwt}\n`)).toThrow('not a .creds file: it needs a user JWT and a user seed');
  });

  it('signWithSeed signs what the public key verifies, and nothing else', () => {
    const key = newAccountKey();
    const data = enc.encode('nonce-123');
    const sig = Buffer.from(signWithSeed(key.seed, data), 'base64url');
    expect(fromPublic(key.publicKey).verify(data, sig)).toBe(true);
    expect(fromPublic(key.publicKey).verify(enc.encode('nonce-124'), sig)).toBe(false);
    expect(fromPublic(newAccountKey().publicKey).verify(data, sig)).toBe(false);
  });
});
