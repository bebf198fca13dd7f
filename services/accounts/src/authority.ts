import {
  HubAccounts,
  accountLimitPolicy,
  credsPath,
  hubConnection,
  hubLayout,
  pushAccountJwt,
  readHubInfo,
  readSecret,
  seedPath,
  signupPolicy,
  signupRatePolicy,
} from '@natster/hub';
import { connectNatster, createLogger, logReconnects, startService, type Logger } from '@natster/nats';
import { Codes, NatsterError, patterns, subjects } from '@natster/protocol';
import { publicKeyOf, userAccountLimits } from '@natster/claims';
import { claimsSigner } from './account-claims';
import { accountDirectory } from './directory';
import { accountRoutes } from './account-routes';
import { eventReporter } from './signup-events';
import { inviteGate } from './invites/invite-gate';
import { InviteStore } from './invites/invite-store';
import { nonceIssuer } from './nonce';
import { nonceSecret } from './secret';
import { signupRoute } from './signup';
import { signupRate } from './signup-rate';
import { AccountStore } from './store';
import { pushWithRetries, userRevocationRoute } from './user-revocation';

export const SERVICE_NAME = 'accounts';
export const SERVICE_VERSION = '0.1.0';

export interface AuthorityOptions {
  /** The hub's data dir: hub.json, the operator signing seed, creds. */
  hubDir: string;
  /** Overrides the hub URL from hub.json. */
  url?: string;
  /** Overrides the CA from hub.json (a public hub's). */
  caFile?: string;
  /** Creds of an AUTHORITY user (default: the hub's). */
  credsPath?: string;
  /** Creds of a SYS user, to push account JWTs (default: the hub's). */
  sysCredsPath?: string;
  logger?: Logger;
  /** How long a signup nonce stays valid. */
  nonceTtlMs?: number;
  /** Back-off between attempts to record signup events with the global service. */
  eventRetryDelaysMs?: number[];
}

export interface Authority {
  stop(): Promise<void>;
}

/**
 * The account authority: signs user account JWTs with the operator signing
 * key (it is the only process that reads it), pushes them through SYS and
 * records them in JetStream KV.
 */
export async function startAuthority(options: AuthorityOptions): Promise<Authority> {
  const logger = options.logger ?? createLogger(SERVICE_NAME);
  const layout = hubLayout(options.hubDir);
  const info = await readHubInfo(layout.info);
  if (!info) throw new NatsterError(Codes.notFound, `no hub in ${options.hubDir}: run \`natster hub up\``);
  const hub = hubConnection(info);
  const url = options.url ?? hub.servers;
  const caFile = options.caFile ?? hub.caFile;
  const tls = caFile ? { caFile } : {};
  // read before connecting: a bad hub.json entry stops the authority with a message naming it
  const userLimits = userAccountLimits(accountLimitPolicy(info.account_limits).user);
  const rate = signupRate(signupRatePolicy(info.signup_rate));
  const signingSeed = await readSecret(seedPath(layout, 'operator-signing'));

  const nc = await connectNatster({ servers: url, credsPath: options.credsPath ?? credsPath(layout, HubAccounts.authority), name: 'natster-authority', ...tls });
  const sys = await connectNatster({ servers: url, credsPath: options.sysCredsPath ?? credsPath(layout, HubAccounts.sys), name: 'natster-authority-sys', ...tls });
  logReconnects(nc, logger);
  const store = await AccountStore.open(nc, info.replicas);
  const invites = inviteGate(signupPolicy(info), await InviteStore.open(nc, info.replicas), publicKeyOf(signingSeed));
  const signer = claimsSigner(signingSeed, { global: info.accounts.NATSTER_GLOBAL, authority: info.accounts.AUTHORITY, hub: info.accounts.HUB }, info.demo_catalog);
  const directory = accountDirectory(store, sys, publicKeyOf(signingSeed), Object.values(info.accounts));
  const demo = info.demo_catalog ? { owner: info.accounts.HUB, catalog: info.demo_catalog } : null;
  const events = eventReporter(nc, logger, demo, options.eventRetryDelaysMs);
  const push = async (jwt: string) => {
    try {
      await pushAccountJwt(sys, jwt);
    } catch (err) {
      logger.error('pushing an account JWT failed', { error: err });
      throw new NatsterError(Codes.unavailable, 'the hub did not accept the account update; try again in a moment', { cause: err });
    }
  };

  // Flushing the AUTHORITY connection first means every reply handed to it so far has reached the server.
  const afterReply = (task: () => Promise<void>) =>
    setImmediate(() => {
      void pushWithRetries(() => nc.flush().then(task), logger);
    });

  const accountsPrefix = 'natster.accounts.';
  const service = await startService(
    nc,
    { name: SERVICE_NAME, version: SERVICE_VERSION, description: 'Natster account authority: signup, catalog imports, session revocation', queue: SERVICE_NAME, logger },
    [
      {
        name: 'signup',
        subject: patterns.signup,
        opOf: (subject) => (subject === subjects.signup() ? 'signup' : null),
        routes: [signupRoute({ nonces: nonceIssuer(await nonceSecret(layout), options.nonceTtlMs), signer, store, push, events, rate, invites, limits: userLimits })],
      },
      {
        name: 'accounts',
        subject: patterns.accountsService,
        // token 1 is the caller (checked by each route: none → 403); the rest names the operation
        opOf: (subject) => {
          const local = subject.slice(subject.indexOf('.') + 1);
          return local.startsWith(accountsPrefix) ? local.slice(accountsPrefix.length) : null;
        },
        routes: [...accountRoutes({ signer, store, directory, push, catalogOwners: [info.accounts.HUB] }), userRevocationRoute({ store, directory, push, signingSeed, afterReply })],
      },
    ],
  );

  return {
    async stop() {
      events.stop();
      await service.stop().catch(() => undefined);
      await Promise.allSettled([nc.drain(), sys.drain()]);
    },
  };
}
