import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { credsFile, newAccountKey, newUserKey, userJwt } from '@natster/claims';
import { AccountsClient, CatalogClient, GlobalClient, signup } from '@natster/client';
import { HubAccounts, credsPath, writeSecret } from '@natster/hub';
import { EventTypes, newEvent } from '@natster/protocol';
import { connectNatster, createLogger, type Logger, type NatsConnection } from '@natster/nats';
import { startAuthority, type Authority } from '@natster/accounts';
import { startGlobal, type GlobalHandle } from '@natster/global';
import { startTestHub, type TestHub } from '@natster/testing';

export const quietLogger = (service = 'catalog-test'): Logger => createLogger(service, { level: 'error' });

/** An account signed up through the real authority, connected with its own user creds. */
export interface Person {
  account: string;
  nc: NatsConnection;
  /** The user's creds file (for a process of this account, e.g. a chunker). */
  credsPath: string;
  /** Another connection as this user, closed by the world's stop(). */
  connect(name?: string): Promise<NatsConnection>;
  global: GlobalClient;
  accounts: AccountsClient;
  catalogs: CatalogClient;
}

/** A real hub: nats-server, the global service and the account authority, in-process. */
export interface World {
  th: TestHub;
  signUp(name: string): Promise<Person>;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const th = await startTestHub();
  const info = th.hub.info;
  const global: GlobalHandle = await startGlobal({
    nc: await th.connectAs(HubAccounts.global),
    portalUrl: 'http://127.0.0.1:9',
    portalAccount: info.accounts.PORTAL,
    authorityAccount: info.accounts.AUTHORITY,
    dataKey: randomBytes(32),
    logger: quietLogger('global'),
  });
  const authority: Authority = await startAuthority({ hubDir: th.dir, logger: quietLogger('accounts') });
  const people: NatsConnection[] = [];
  return {
    th,
    async signUp(name) {
      const account = newAccountKey();
      await signup({ bootstrapCredsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), url: th.url, accountSeed: account.seed, name });
      const user = newUserKey();
      const path = join(th.dir, 'people', `${name}.creds`);
      await writeSecret(path, credsFile(await userJwt({ name, user: user.publicKey }, account.seed), user.seed));
      const connect = async (connName = name) => {
        const nc = await connectNatster({ servers: th.url, credsPath: path, name: connName });
        people.push(nc);
        return nc;
      };
      const nc = await connect();
      return { account: account.publicKey, nc, credsPath: path, connect, global: new GlobalClient(nc), accounts: new AccountsClient(nc), catalogs: new CatalogClient(nc, 3000) };
    },
    async stop() {
      await Promise.allSettled(people.map((nc) => nc.close()));
      await authority.stop();
      await global.stop();
      await th.stop();
    },
  };
}

/** `natster catalog share`: the owner's catalog_shared event through the global service. */
export async function shareCatalog(owner: Person, friend: Person, catalog: string): Promise<void> {
  await owner.global.putEvent(newEvent(EventTypes.catalogShared, owner.account, { target: friend.account, catalog }));
}

/** `natster catalog unshare`: the owner's catalog_unshared event through the global service. */
export async function unshareCatalog(owner: Person, friend: Person, catalog: string): Promise<void> {
  await owner.global.putEvent(newEvent(EventTypes.catalogUnshared, owner.account, { target: friend.account, catalog }));
}

/** `natster catalog import`: the authority adds the imports to the friend's account, and the owner hears of it. */
export async function importCatalog(friend: Person, owner: Person, catalog: string): Promise<void> {
  await friend.accounts.importCatalog(catalog, owner.account);
  await friend.global.putEvent(newEvent(EventTypes.catalogImported, friend.account, { target: owner.account, catalog }));
}

/** Polls `probe` until it returns a value (not undefined) or `ms` pass. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms = 5000, step = 50): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, step));
  }
}
