import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  accountJwt,
  credsFile,
  newAccountKey,
  newUserKey,
  userAccountClaims,
  userAccountLimits,
  userJwt,
  type ConnectionLimits,
  type Import,
} from '@natster/claims';
import {
  HubAccounts,
  accountLimitPolicy,
  credsPath,
  ensureNatsServer,
  hubConnection,
  initHub,
  pushAccountJwt,
  readSecret,
  seedPath,
  startNatsServer,
  writeSecret,
  type Hub,
  type HubAccountName,
  type RunningServer,
} from '@natster/hub';
import { connectNatster, type NatsConnection } from '@natster/nats';
import { freePort } from './free-port';

export interface TestUser {
  name: string;
  /** Account public key. */
  account: string;
  accountSeed: string;
  credsPath: string;
  connect(name?: string): Promise<NatsConnection>;
}

export interface TestHub extends AsyncDisposable {
  hub: Hub;
  dir: string;
  url: string;
  /** The hub's CA file on a public (TLS) hub. */
  caFile: string | undefined;
  server: RunningServer;
  /** Connects as the user of one of the hub's own accounts. */
  connectAs(account: HubAccountName, name?: string): Promise<NatsConnection>;
  /**
   * Creates a Natster user account the way the authority does (same claims
   * builder and limits), pushed to the real server through SYS. Extra imports can be added.
   */
  createUser(name: string, extraImports?: Import[]): Promise<TestUser>;
  /** Re-signs and pushes an account JWT (e.g. with forged imports, for refusal tests). */
  pushAccount(name: string, account: string, imports: Import[]): Promise<void>;
  stop(): Promise<void>;
}

export interface TestHubOptions {
  /** The hub's demo catalog; null for none. */
  demoCatalog?: string | null;
  publicHosts?: string[];
  /** Caps of the user accounts createUser signs; default the hub's `account_limits.user`, as the authority signs them. */
  userLimits?: ConnectionLimits;
}

/**
 * A real nats-server in operator mode with the hub's accounts, on free
 * loopback ports in a temp dir; stopped by pid and removed by stop().
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const dir = await mkdtemp(join(tmpdir(), 'natster-hub-'));
  const port = await freePort();
  const hub = await initHub(dir, { host: '127.0.0.1', port, httpPort: await freePort(), ...(options.publicHosts ? { publicHosts: options.publicHosts } : {}) });
  const server = await startNatsServer({
    bin: ensureNatsServer(),
    config: hub.layout.config,
    httpPort: hub.info.http_port,
    logFile: join(hub.layout.logs, 'nats-server.log'),
  });
  const { servers: url, caFile } = hubConnection(hub.info);
  const tls = caFile ? { caFile } : {};
  const signingSeed = await readSecret(seedPath(hub.layout, 'operator-signing'));
  const open: NatsConnection[] = [];
  const track = (nc: NatsConnection) => (open.push(nc), nc);
  const sys = track(await connectNatster({ servers: url, credsPath: credsPath(hub.layout, HubAccounts.sys), name: 'test-sys', ...tls }));
  const demoCatalog = options.demoCatalog === undefined ? hub.info.demo_catalog : options.demoCatalog;
  const known = { global: hub.info.accounts.NATSTER_GLOBAL, authority: hub.info.accounts.AUTHORITY, hub: hub.info.accounts.HUB };
  const limits = userAccountLimits(options.userLimits ?? accountLimitPolicy(hub.info.account_limits).user);

  const pushAccount = async (name: string, account: string, imports: Import[]) => {
    const claims = userAccountClaims(account, known, demoCatalog);
    await pushAccountJwt(sys, await accountJwt({ name, account, exports: claims.exports, imports: [...claims.imports, ...imports], limits }, signingSeed));
  };

  const stop = async () => {
    await Promise.allSettled(open.map((nc) => nc.close()));
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };

  return {
    hub,
    dir,
    url,
    caFile,
    server,
    connectAs: async (account, name = `test-${account}`) =>
      track(await connectNatster({ servers: url, credsPath: credsPath(hub.layout, account), name, ...tls })),
    async createUser(name, extraImports = []) {
      const account = newAccountKey();
      const user = newUserKey();
      await pushAccount(name, account.publicKey, extraImports);
      const path = join(dir, 'users', `${name}.creds`);
      await writeSecret(path, credsFile(await userJwt({ name, user: user.publicKey }, account.seed), user.seed));
      return {
        name,
        account: account.publicKey,
        accountSeed: account.seed,
        credsPath: path,
        connect: async (connName = name) => track(await connectNatster({ servers: url, credsPath: path, name: connName, ...tls })),
      };
    },
    pushAccount,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
