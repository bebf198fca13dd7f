import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Codes, NatsterError } from '@natster/protocol';

/**
 * Stateless signup nonces: `<issued ms>.<random>.<mac>` where the mac is an
 * HMAC over account, time and random with a secret only the authority holds.
 * Any authority instance sharing the secret can verify one; none is stored.
 */
export interface NonceIssuer {
  issue(account: string): string;
  /** Throws 403 unless the nonce was issued by us for this account within the validity window. */
  verify(account: string, nonce: string): void;
}

export function nonceIssuer(secret: Uint8Array, ttlMs = 60_000, now: () => number = Date.now): NonceIssuer {
  const mac = (account: string, issued: string, random: string) =>
    createHmac('sha256', secret).update(`${account}.${issued}.${random}`).digest();

  return {
    issue(account) {
      const issued = String(now());
      const random = randomBytes(16).toString('base64url');
      return `${issued}.${random}.${mac(account, issued, random).toString('base64url')}`;
    },
    verify(account, nonce) {
      const [issued, random, given, ...rest] = nonce.split('.');
      const refuse = (why: string) => {
        throw new NatsterError(Codes.forbidden, `signup refused: ${why}; ask for a new nonce and sign it with the account seed`);
      };
      if (!issued || !random || !given || rest.length > 0 || !/^\d+$/.test(issued)) return refuse('malformed nonce');
      const expected = mac(account, issued, random);
      const actual = Buffer.from(given, 'base64url');
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return refuse('the nonce was not issued for this account');
      const age = now() - Number(issued);
      if (age > ttlMs || age < -5_000) return refuse('the nonce has expired');
    },
  };
}
