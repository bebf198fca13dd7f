import { Codes, NatsterError } from '@natster/protocol';
import type { SignupPolicy } from '@natster/hub';
import { readInviteCode, type InviteClaims } from './invite-code';
import type { InviteRecord, InviteStore } from './invite-store';

/**
 * Admits new accounts by invite. `check` runs before the signup rate is
 * spent (a refused invite costs real people nothing); `use` then takes one
 * use by compare-and-set, so two signups racing for the last use cannot both
 * get it.
 */
export interface InviteGate {
  /** The verified claims, null when none was given on an open hub; throws 403 saying what to do. */
  check(code: string | undefined): Promise<InviteClaims | null>;
  use(claims: InviteClaims, account: string): Promise<void>;
}

const day = (iso: string) => iso.slice(0, 10);
const refuse = (why: string): never => {
  throw new NatsterError(Codes.forbidden, `${why}; ask the hub’s owner for a new one`);
};

/** Why a recorded invite cannot admit anyone now, or null when it can. */
function unusable(record: InviteRecord | undefined, now: number): string | null {
  if (!record) return 'this invite is not recorded by this hub';
  if (record.revoked_at) return `this invite was revoked on ${day(record.revoked_at)}`;
  if (Date.parse(record.expires_at) <= now) return `this invite has expired on ${day(record.expires_at)}`;
  if (record.used >= record.uses) return `this invite has already been used (${record.used} of ${record.uses})`;
  return null;
}

export function inviteGate(policy: SignupPolicy, store: InviteStore, signingKey: string, now: () => number = Date.now): InviteGate {
  return {
    async check(code) {
      if (code === undefined) {
        if (policy === 'open') return null;
        throw new NatsterError(Codes.forbidden, 'this hub signs up by invite only: ask the hub’s owner for an invite, then run `natster init --invite <line>`');
      }
      const claims = readInviteCode(code, signingKey);
      if (claims.e * 1000 <= now()) refuse(`this invite has expired on ${day(new Date(claims.e * 1000).toISOString())}`);
      const why = unusable((await store.get(claims.i))?.record, now());
      if (why) refuse(why);
      return claims;
    },
    async use(claims, account) {
      for (;;) {
        const stored = await store.get(claims.i);
        const why = unusable(stored?.record, now());
        if (why || !stored) return refuse(why ?? 'this invite is not recorded by this hub');
        const { record, revision } = stored;
        if (await store.update({ ...record, used: record.used + 1, accounts: [...record.accounts, account] }, revision)) return;
      }
    },
  };
}
