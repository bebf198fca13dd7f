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
  /** Connection name shown in server monitoring. */
  name: string;
  /** Give up after the first failed connect instead of waiting (CLI commands). */
  failFast?: boolean;
}

/**
 * Connects with creds and reconnects forever with jittered backoff, so a
 * service outlives hub restarts. CLI commands set failFast to report an
 * unreachable hub at once.
 */
export async function connectNatster(options: ConnectOptions): Promise<NatsConnection> {
  const creds = options.creds ?? (options.credsPath ? await readFile(options.credsPath, 'utf8') : undefined);
  try {
    return await connect({
      servers: options.servers,
      name: options.name,
      ...(creds ? { authenticator: credsAuthenticator(new TextEncoder().encode(creds)) } : {}),
      maxReconnectAttempts: options.failFast ? 0 : -1,
      reconnectTimeWait: 500,
      reconnectJitter: 500,
      waitOnFirstConnect: !options.failFast,
      ignoreClusterUpdates: false,
    });
  } catch (err) {
    const url = Array.isArray(options.servers) ? options.servers.join(',') : options.servers;
    const code = (err as { code?: string }).code;
    if (code === 'CONNECTION_REFUSED' || code === 'ECONNREFUSED') {
      throw new NatsterError(Codes.unavailable, `no hub at ${url}: start one with \`natster hub up\` or pass --hub`, { cause: err });
    }
    if (code === 'AUTHORIZATION_VIOLATION' || /authorization/i.test(String(err))) {
      throw new NatsterError(Codes.forbidden, `the hub at ${url} refused these credentials: run \`natster init\` again for this context`, { cause: err });
    }
    throw new NatsterError(Codes.unavailable, `cannot connect to ${url}: ${(err as Error).message}`, { cause: err });
  }
}
