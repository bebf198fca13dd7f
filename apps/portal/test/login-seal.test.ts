import { describe, expect, it } from 'vitest';
import { decodeJwt, newAccountKey, parseCreds, type User } from '@natster/claims';
import { createXKey } from '@natster/crypto';
import { PortalLogin, type SealedPortalLogin } from '@natster/protocol';
import { mintPortalLogin, sealPortalLogin } from '../../cli/src/commands/login';
import { openPortalLogin } from '../src/server/login-seal';

const account = newAccountKey();
const context = {
  name: 'default',
  hub_url: 'nats://127.0.0.1:4222',
  account: account.publicKey,
  user: 'U' + 'A'.repeat(55),
  creds_path: '/x',
  account_seed_path: '/y',
  created_at: new Date().toISOString(),
};
const seedText = (seed: Uint8Array) => new TextDecoder().decode(seed);

describe('the sealed login payload (natster login → portal)', () => {
  it('the portal opens what was sealed to its xkey: scoped creds that expire as asked', async () => {
    const portal = createXKey();
    const login = await mintPortalLogin(context, account.seed, 7);
    const opened = openPortalLogin(sealPortalLogin(login, portal.publicKey), seedText(portal.seed));
    expect(PortalLogin.check(opened)).toEqual(login);
    expect(opened.account).toBe(account.publicKey);
    const days = (Date.parse(opened.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    // the creds themselves: a user of this account, scoped to what the portal does, expiring when the session does
    const claims = decodeJwt<User>(parseCreds(opened.creds).jwt);
    expect(claims.sub).toBe(opened.user);
    expect(claims.iss).toBe(account.publicKey);
    expect(claims.exp).toBe(Date.parse(opened.expires_at) / 1000);
    expect(claims.nats.pub?.allow?.toSorted()).toEqual(
      ['_INBOX.>', 'natster.accounts.catalogs.import', 'natster.accounts.get', 'natster.accounts.users.revoke', 'natster.catalog.>', 'natster.global.>'],
    );
    expect(claims.nats.sub?.allow?.toSorted()).toEqual(['_INBOX.>', 'natster.global-events.>', 'natster.media.>']);
  });

  it('a payload sealed for another portal, or tampered with, is refused with what to do', async () => {
    const login = await mintPortalLogin(context, account.seed, 1);
    const other = createXKey();
    const portal = createXKey();
    expect(() => openPortalLogin(sealPortalLogin(login, other.publicKey), seedText(portal.seed))).toThrow(/not sealed for this portal.*natster login/);

    const sealed = sealPortalLogin(login, portal.publicKey);
    const box = Buffer.from(sealed.box, 'base64');
    box[box.length - 1]! ^= 1;
    const tampered: SealedPortalLogin = { ...sealed, box: box.toString('base64') };
    expect(() => openPortalLogin(tampered, seedText(portal.seed))).toThrow(/not sealed for this portal/);
    expect(() => openPortalLogin({ sender_xkey: 'nope', box: sealed.box }, seedText(portal.seed))).toThrow(/invalid sealed portal login/);
  });
});
