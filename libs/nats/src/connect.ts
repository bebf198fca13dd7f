import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { connect, credsAuthenticator, type NatsConnection } from 'nats';
import { NatsterError, Codes } from '@natster/protocol';

export interface ConnectOptions {
  /**
   * URL(s) of the hub: `tls://` requires TLS (nats.js itself ignores the scheme and
   * would fall back to plain against a server without TLS), `nats://` takes what the
   * server offers.
   */
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
  const servers = [options.servers].flat();
  const requireTls = options.caFile !== undefined || servers.some((url) => url.startsWith('tls://'));
  const attempt = () =>
    connect({
      servers: options.servers,
      name: options.name,
      // an empty tls object still makes nats.js refuse a server without TLS; certificates then chain to the system roots
      ...(requireTls ? { tls: { ...(options.caFile ? { caFile: options.caFile } : {}), ...verifiedHost(servers) } } : {}),
      ...(creds ? { authenticator: credsAuthenticator(new TextEncoder().encode(creds)) } : {}),
      maxReconnectAttempts: reconnect ? -1 : 0,
      reconnectTimeWait: 500,
      reconnectJitter: 500,
      waitOnFirstConnect: !options.failFast,
      ...(options.connectTimeoutMs ? { timeout: options.connectTimeoutMs } : {}),
      ignoreClusterUpdates: false,
    });
  const url = servers.join(',');
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (err) {
      const delayMs = FIRST_CONNECT_RETRY_DELAYS_MS[retry];
      if (codeOf(err) !== 'TIMEOUT' || delayMs === undefined) throw connectError(err, url, requireTls);
      options.onConnectRetry?.({ attempt: retry + 1, of: FIRST_CONNECT_RETRY_DELAYS_MS.length, delayMs, error: err as Error });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

/**
 * nats.js sends no server name for an IP address, and node then checks the certificate
 * against "localhost" (any certificate naming localhost would pass): name the address
 * to verify. Only for a single server; nats.js picks among several itself.
 */
function verifiedHost(servers: string[]): { host?: string } {
  if (servers.length !== 1) return {};
  const hostname = new URL(`tls://${servers[0]!.replace(/^\w+:\/\//, '')}`).hostname.replace(/^\[|\]$/g, '');
  return isIP(hostname) ? { host: hostname } : {};
}

const codeOf = (err: unknown): string | undefined => (err as { code?: string }).code;

function connectError(err: unknown, url: string, requireTls: boolean): NatsterError {
  const code = codeOf(err);
  if (code === 'CONNECTION_REFUSED' || code === 'ECONNREFUSED') {
    return new NatsterError(Codes.unavailable, `no hub at ${url}: start one with \`natster hub up\` or pass --hub`, { cause: err });
  }
  if (code === 'AUTHORIZATION_VIOLATION' || /authorization/i.test(String(err))) {
    return new NatsterError(Codes.forbidden, `the hub at ${url} refused these credentials: run \`natster init\` again for this context`, { cause: err });
  }
  const tls = tlsProblem(err, requireTls);
  if (tls) return new NatsterError(Codes.unavailable, `${tls} (hub ${url})`, { cause: err });
  if (code === 'TIMEOUT') {
    return new NatsterError(Codes.unavailable, `the hub at ${url} accepted the connection but did not answer after ${FIRST_CONNECT_RETRY_DELAYS_MS.length + 1} tries: it may be overloaded; try again shortly`, { cause: err });
  }
  return new NatsterError(Codes.unavailable, `cannot connect to ${url}: ${(err as Error).message}`, { cause: err });
}

/** Certificate failures node reports by code (`tls.connect`), and what each means for the user. */
const UNTRUSTED_CERT_CODES = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE']);

/**
 * A clear sentence for a TLS failure, or null when the error is about something else.
 * Without `requireTls` (a nats:// URL) nats.js still upgrades when the server demands
 * TLS, so a certificate failure there means the caller did not know the hub needs TLS.
 */
function tlsProblem(err: unknown, requireTls: boolean): string | null {
  const code = codeOf(err);
  const detail = (err as Error).message;
  if (code === 'SERVER_OPT_NA' && /tls/i.test(detail)) {
    return 'this hub does not offer TLS, but its tls:// URL or a CA file asked for it: use the nats:// URL its owner gives, or check the address';
  }
  const untrusted = code !== undefined && UNTRUSTED_CERT_CODES.has(code);
  if (untrusted && !requireTls) {
    return "this hub requires TLS and its certificate is not trusted here: connect with its tls:// URL and the hub's CA file (a context's ca_path, or the invite)";
  }
  if (untrusted) {
    return `the hub's TLS certificate is not trusted (${code}): its certificate does not chain to the CA this context pins (or, without one, to the system roots); get the hub's CA from its owner and check its fingerprint`;
  }
  if (code === 'CERT_HAS_EXPIRED') return "the hub's TLS certificate has expired: its owner must run `natster hub up` again to renew it";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the hub's TLS certificate is not valid for this address (${detail}): connect with one of the names its owner made it for (\`natster hub status\` lists them)`;
  return null;
}
