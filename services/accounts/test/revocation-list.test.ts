import { describe, expect, it } from 'vitest';
import { newUserKey } from '@natster/claims';
import { MAX_REVOCABLE_LIFETIME_S, MAX_REVOCATIONS, revocationsWith } from '../src/user-revocation';

const now = 2_000_000_000;

describe('an account’s revocation list', () => {
  it('adds the user, keeps entries a still-valid JWT could need and prunes the rest', () => {
    const [old, recent, added] = [newUserKey().publicKey, newUserKey().publicKey, newUserKey().publicKey];
    const list = revocationsWith({ [old]: now - MAX_REVOCABLE_LIFETIME_S - 1, [recent]: now - 86_400 }, added, now, now);
    expect(list).toEqual({ [recent]: now - 86_400, [added]: now });
  });

  it('never moves an existing revocation back in time', () => {
    const user = newUserKey().publicKey;
    expect(revocationsWith({ [user]: now + 30 }, user, now, now)[user]).toBe(now + 30);
  });

  it('refuses to grow past its cap, while re-revoking a listed user still works', () => {
    const full = Object.fromEntries(Array.from({ length: MAX_REVOCATIONS }, (_, i) => [`U${i}`, now - 10]));
    expect(() => revocationsWith(full, newUserKey().publicKey, now, now)).toThrow(/already lists 1000 revoked sessions/);
    expect(revocationsWith(full, 'U7', now, now).U7).toBe(now);
  });
});
