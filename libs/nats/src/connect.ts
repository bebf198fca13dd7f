import { readFile } from 'node:fs/promises';
import { connect, credsAuthenticator, type NatsConnection } from 'nats';
import { NatsterError, Codes } from '@natster/protocol';

export interface ConnectOptions {
  /** nats:// URL(s) of the hub. */
  servers: string | string[];
  /** Path of a .creds file (user JWT + seed). */
  credsPath?: string;
  /** Creds text, when it is not on disk (the portal's sealed session creds). */
  creds?: string;
  /**
   * PEM file of the CA the hub's certificate must chain to (a hub's own CA, pinned
   * from an invite or read from the hub dir). Setting it requires TLS.
   */
  caFile?: string;
  /** Connection name shown in server monitoring. */
  name: string;
  /**
   * Report an unreachable hub at once instead of waiting for it (CLI
   * commands). Implies no reconnection unless `reconnect` is set.
   */
  failFast?: boolean;
  /**
   * Once connected, reconnect forever with backoff (default: unless
   * failFast). Long-running commands combine it with failFast: a wrong hub
   * is reported at once, a hub restart later is survived.
   */
  reconnect?: boolean;
  /**
   * How long one connect try waits for the server (default 20 s: nats-server 2.9 takes
   * about 5 s to refuse creds of an account it must look up first).
   */
  connectTimeoutMs?: number;
  /** With failFast: called before each retry of a first connect that timed out (a busy hub). */
  onConnectRetry?: (retry: ConnectRetry) => void;
}

export interface ConnectRetry {
  /** 1 for the first retry. */
  attempt: number;
  of: number;
  delayMs: number;
  error: Error;
}

/**
 * A first connect that times out is retried this many times, after these
 * pauses: a hub under load answers late rather than never, while a refused
 * connection or bad creds fail at once.
 */
const FIRST_CONNECT_RETRY_DELAYS_MS = [500, 1000, 2000] as const;

/**
 * Connects with creds. By default it waits for the hub and then reconnects
 * forever with jittered backoff, so a service outlives hub restarts. CLI
 * commands set failFast to report an unreachable hub at once.
 */
export async function connectNatster(options: ConnectOptions): Promise<NatsConnection> {
  const creds = options.creds ?? (options.credsPath ? await readFile(options.credsPath, 'utf8') : undefined);
  const reconnect = options.reconnect ?? !options.failFast;
  const attempt = () =>
    connect({
      servers: options.servers,
      name: options.name,
      ...(options.caFile ? { tls: { caFile: options.caFile } } : {}),
      ...(creds ? { authenticator: credsAuthenticator(new TextEncoder().encode(creds)) } : {}),
      maxReconnectAttempts: reconnect ? -1 : 0,
      reconnectTimeWait: 500,
      reconnectJitter: 500,
      waitOnFirstConnect: !options.failFast,
      ...(options.connectTimeoutMs ? { timeout: options.connectTimeoutMs } : {}),
      ignoreClusterUpdates: false,
    });
  const url = Array.isArray(options.servers) ? options.servers.join(',') : options.servers;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      const delayMs = FIRST_CONNECT_RETRY_DELAYS_MS[retry];
      if (codeOf(err) !== 'TIMEOUT' || delayMs === undefined) throw connectError(err, url);
      options.onConnectRetry?.({ attempt: retry + 1, of: FIRST_CONNECT_RETRY_DELAYS_MS.length, delayMs, error: err as Error });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

const codeOf = (err: unknown): string | undefined => (err as { code?: string }).code;

function connectError(err: unknown, url: string): NatsterError {
  const code = codeOf(err);
  if (code === 'CONNECTION_REFUSED' || code === 'ECONNREFUSED') {
    return new NatsterError(Codes.unavailable, `no hub at ${url}: start one with \`natster hub up\` or pass --hub`, { cause: err });
  }
  if (code === 'AUTHORIZATION_VIOLATION' || /authorization/i.test(String(err))) {
    return new NatsterError(Codes.forbidden, `the hub at ${url} refused these credentials: run \`natster init\` again for this context`, { cause: err });
  }
  if (code === 'TIMEOUT') {
    return new NatsterError(Codes.unavailable, `the hub at ${url} accepted the connection but did not answer after ${FIRST_CONNECT_RETRY_DELAYS_MS.length + 1} tries: it may be overloaded; try again shortly`, { cause: err });
  }
  return new NatsterError(Codes.unavailable, `cannot connect to ${url}: ${(err as Error).message}`, { cause: err });
}
