import { describe, expect, it } from 'vitest';
import { newAccountKey } from '@natster/claims';
import { nonceIssuer } from '../src/nonce';

describe('signup nonces', () => {
  it('are valid for their account within the window only', () => {
    let now = 1_000_000;
    const issuer = nonceIssuer(new Uint8Array(32).fill(1), 60_000, () => now);
    const account = newAccountKey().publicKey;
    const nonce = issuer.issue(account);
    expect(() => issuer.verify(account, nonce)).not.toThrow();
    expect(() => issuer.verify(newAccountKey().publicKey, nonce)).toThrow(/not issued for this account/);
    now += 61_000;
    expect(() => issuer.verify(account, nonce)).toThrow(/expired/);
    // another authority's secret cannot mint nonces for us
    const other = nonceIssuer(new Uint8Array(32).fill(2), 60_000, () => now);
    expect(() => issuer.verify(account, other.issue(account))).toThrow(/not issued/);
  });
});
