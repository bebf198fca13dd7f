import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credsFile, newAccountKey, newUserKey, userJwt } from '@natster/claims';
import { createCatalog, startCatalogServer, type CatalogServer } from '@natster/catalog';
import { loadServedCatalogs, startChunker, type Chunker } from '@natster/chunker';
import { AccountsClient, CatalogClient, GlobalClient, signup } from '@natster/client';
import { HubAccounts, credsPath, writeSecret } from '@natster/hub';
import { connectNatster, createLogger, type NatsConnection } from '@natster/nats';
import { EventTypes, newEvent } from '@natster/protocol';
import { startPlatform, type Platform } from '../platform';

/** An owner serving one catalog to a friend who imported it, every service on a real nats-server. */
export interface FuzzWorld {
  platform: Platform;
  owner: { account: string; nc: NatsConnection };
  friend: { account: string; nc: NatsConnection };
  /** The public signup user's connection. */
  bootstrap: NatsConnection;
  /** The served catalog's content id (its chunker's start subject). */
  content: string;
  stop(): Promise<void>;
}

const quiet = (service: string) => createLogger(service, { level: 'error' });

/**
 * Builds the world in-process (the CLI would cost seconds per command): the
 * platform's authority and global service, two accounts signed up through
 * the real authority, the owner's catalog server and chunker, a share and an
 * import through the real services.
 */
export async function startFuzzWorld(catalog: string, files: Record<string, Uint8Array>): Promise<FuzzWorld> {
  const platform = await startPlatform();
  const th = platform.th;
  const tmp = await mkdtemp(join(tmpdir(), 'natster-fuzz-'));
  const connections: NatsConnection[] = [];
  const signUp = async (name: string) => {
    const account = newAccountKey();
    await signup({ bootstrapCredsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), url: th.url, accountSeed: account.seed, name });
    const user = newUserKey();
    const path = join(tmp, 'creds', `${name}.creds`);
    await writeSecret(path, credsFile(await userJwt({ name, user: user.publicKey }, account.seed), user.seed));
    const nc = await connectNatster({ servers: th.url, credsPath: path, name, failFast: true });
    connections.push(nc);
    return { account: account.publicKey, nc, path };
  };
  const owner = await signUp('owner');
  const friend = await signUp('friend');
  const bootstrap = await connectNatster({ servers: th.url, credsPath: credsPath(th.hub.layout, HubAccounts.bootstrap), name: 'fuzz-bootstrap', failFast: true });
  connections.push(bootstrap);

  const root = join(tmp, 'media');
  await mkdir(root);
  for (const [path, bytes] of Object.entries(files)) await writeFile(join(root, path), bytes);
  const catalogs = join(tmp, 'catalogs');
  const { store } = await createCatalog(catalogs, { name: catalog, description: 'fuzzed', root });
  const ownerGlobal = new GlobalClient(owner.nc);
  const server: CatalogServer = await startCatalogServer({ nc: owner.nc, account: owner.account, catalogs: [store], global: ownerGlobal, logger: quiet('catalog'), rescanMs: 0, watch: false });
  const chunkerNc = await connectNatster({ servers: th.url, credsPath: owner.path, name: 'fuzz-chunker', failFast: true });
  connections.push(chunkerNc);
  const chunker: Chunker = await startChunker({ nc: chunkerNc, logger: quiet('chunker'), catalogs: await loadServedCatalogs(catalogs, { names: [catalog], logger: quiet('chunker') }), threads: 1 });

  await ownerGlobal.putEvent(newEvent(EventTypes.catalogShared, owner.account, { target: friend.account, catalog }));
  await new AccountsClient(friend.nc).importCatalog(catalog, owner.account);
  // the share reaches the catalog server through the live feed: wait until the friend may list
  const listing = new CatalogClient(friend.nc, 1000);
  for (let tries = 0; ; tries++) {
    const ok = await listing.page(catalog).then(() => true, (error: unknown) => (tries > 50 ? Promise.reject(error) : false));
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    platform,
    owner,
    friend,
    bootstrap,
    content: store.contentId,
    async stop() {
      await chunker.stop();
      await server.stop();
      await Promise.allSettled(connections.map((nc) => nc.close()));
      await platform.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
