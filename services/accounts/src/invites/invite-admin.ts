import { randomBytes } from 'node:crypto';
import { HubAccounts, credsPath, hubConnection, hubLayout, readHubInfo, readSecret, seedPath } from '@natster/hub';
import { connectNatster } from '@natster/nats';
import { Codes, NatsterError } from '@natster/protocol';
import { signInviteCode } from './invite-code';
import { InviteStore, type InviteRecord } from './invite-store';

export interface MintOptions {
  /** Accounts it may create. */
  uses: number;
  expiresInMs: number;
  note?: string;
}

export interface MintedInvite {
  /** The signed code the friend's signup presents. */
  code: string;
  record: InviteRecord;
}

/** The hub owner's side of invites: what `natster hub invite(s)` and a local `natster init` use. */
export interface InviteAdmin {
  mint(options: MintOptions): Promise<MintedInvite>;
  list(): Promise<InviteRecord[]>;
  revoke(id: string): Promise<InviteRecord>;
  close(): Promise<void>;
}

/**
 * Opens the invites bucket as the AUTHORITY user and reads the operator
 * signing seed, both from the hub dir: only someone who can read the hub's
 * secrets can mint an invite.
 */
export async function openInviteAdmin(hubDir: string): Promise<InviteAdmin> {
  const layout = hubLayout(hubDir);
  const info = await readHubInfo(layout.info);
  if (!info) throw new NatsterError(Codes.notFound, `no hub in ${hubDir}: run \`natster hub up\` there first`);
  const signingSeed = await readSecret(seedPath(layout, 'operator-signing'));
  const nc = await connectNatster({ ...hubConnection(info), credsPath: credsPath(layout, HubAccounts.authority), name: 'natster-invites', failFast: true });
  const store = await InviteStore.open(nc, info.replicas).catch(async (err: unknown) => {
    await nc.close();
    throw err;
  });

  return {
    async mint({ uses, expiresInMs, note }) {
      const id = randomBytes(6).toString('hex');
      const expires = Math.floor((Date.now() + expiresInMs) / 1000);
      const record: InviteRecord = {
        id,
        uses,
        used: 0,
        expires_at: new Date(expires * 1000).toISOString(),
        ...(note ? { note } : {}),
        created_at: new Date().toISOString(),
        accounts: [],
      };
      await store.create(record);
      return { code: signInviteCode({ i: id, e: expires, u: uses }, signingSeed), record };
    },
    list: () => store.list(),
    async revoke(id) {
      for (;;) {
        const stored = await store.get(id);
        if (!stored) throw new NatsterError(Codes.notFound, `no invite ${id} on this hub: see \`natster hub invites\``);
        if (stored.record.revoked_at) return stored.record;
        const record = { ...stored.record, revoked_at: new Date().toISOString() };
        if (await store.update(record, stored.revision)) return record;
      }
    },
    close: () => nc.close(),
  };
}
