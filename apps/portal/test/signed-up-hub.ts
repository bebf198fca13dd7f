import { startAuthority, type Authority } from '@natster/accounts';
import { newAccountKey } from '@natster/claims';
import { signup } from '@natster/client';
import { HubAccounts, credsPath } from '@natster/hub';
import { createLogger } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import type { mintPortalLogin } from '../../cli/src/commands/login';
import { portalConnection } from '../src/server/portal-connection';

type NatsterContext = Parameters<typeof mintPortalLogin>[0];

export interface SignedUpHub {
  th: TestHub;
  /** A new account, signed up through the authority: the context and seed `natster login` mints portal creds with. */
  signUp(): Promise<{ context: NatsterContext; accountSeed: string }>;
  stop(): Promise<void>;
}

/**
 * A real hub and its authority, with the portal's server modules pointed at it
 * (they read the hub from NATSTER_HUB_DIR): for tests of what the portal does
 * with the creds `natster login` mints.
 */
export async function startSignedUpHub(): Promise<SignedUpHub> {
  const th = await startTestHub();
  const authority: Authority = await startAuthority({ hubDir: th.dir, logger: createLogger('accounts', { write: () => {} }), eventRetryDelaysMs: [] });
  process.env.NATSTER_HUB_DIR = th.dir;
  return {
    th,
    async signUp() {
      const account = newAccountKey();
      const { account: key } = await signup({ bootstrapCredsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), url: th.url, accountSeed: account.seed });
      const context = { name: 'default', hub_url: th.url, account: key, user: 'U' + 'A'.repeat(55), creds_path: '/x', account_seed_path: '/y', created_at: new Date().toISOString() };
      return { context, accountSeed: account.seed };
    },
    async stop() {
      await (await portalConnection().catch(() => null))?.close();
      await authority.stop();
      await th.stop();
    },
  };
}
