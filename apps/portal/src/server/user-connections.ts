import { connectNatster, createLogger, type NatsConnection } from '@natster/nats';
import { openPortalLogin } from './login-seal';
import { portalEnv } from './env';
import { processSingleton } from './process-singleton';
import type { Session } from './session-store';

const log = createLogger('portal');

interface Cached {
  nc: Promise<NatsConnection>;
  expiry: NodeJS.Timeout;
}

/** One connection per signed-in session, as the user, reused by every request. */
const cache = () => processSingleton('user-connections', () => new Map<string, Cached>());

/** setTimeout overflows past ~24.8 days; re-check then instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

async function connectAs(session: Session): Promise<NatsConnection> {
  const env = await portalEnv();
  const login = openPortalLogin(session.sealed, env.xkeySeed);
  return connectNatster({ servers: env.natsUrl, creds: login.creds, name: `natster-portal-session-${session.account.slice(0, 8)}`, ...(env.caFile ? { caFile: env.caFile } : {}) });
}

/** The session's user connection: opened on first use, closed when the session ends. */
export function userConnection(session: Session): Promise<NatsConnection> {
  const map = cache();
  const hit = map.get(session.id);
  if (hit) return hit.nc;
  const nc = connectAs(session);
  const entry: Cached = {
    nc,
    expiry: setTimeout(() => void closeUserConnection(session.id), Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(session.expires_at) - Date.now()))),
  };
  entry.expiry.unref();
  map.set(session.id, entry);
  nc.then(
    (conn) => {
      log.info('session connected as its user', { account: session.account });
      void conn.closed().then(() => map.get(session.id) === entry && map.delete(session.id));
    },
    () => map.get(session.id) === entry && map.delete(session.id),
  );
  return nc;
}

/** Drains and forgets a session's connection (sign-out, expiry). */
export async function closeUserConnection(sessionId: string): Promise<void> {
  const map = cache();
  const entry = map.get(sessionId);
  if (!entry) return;
  map.delete(sessionId);
  clearTimeout(entry.expiry);
  await entry.nc.then((nc) => nc.drain()).catch(() => undefined);
}
