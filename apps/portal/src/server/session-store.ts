import { randomBytes } from 'node:crypto';
import type { KV } from '@natster/nats';
import { PortalSession, SESSION_ID_PATTERN, type PortalLogin, type SealedPortalLogin } from '@natster/protocol';
import { portalConnection } from './portal-connection';
import { portalEnv } from './env';
import { processSingleton } from './process-singleton';

/** KV bucket (PORTAL account) holding one entry per signed-in browser. */
export const SESSIONS_BUCKET = 'natster_portal_sessions';

const enc = new TextEncoder();

export interface Session extends PortalSession {
  id: string;
}

function bucket(): Promise<KV> {
  const holder = processSingleton('sessions-bucket', () => ({ kv: undefined as Promise<KV> | undefined }));
  holder.kv ??= (async () => {
    const [nc, env] = await Promise.all([portalConnection(), portalEnv()]);
    // The bucket's max age caps every session; expires_at (from the creds) may end one sooner.
    return nc.jetstream().views.kv(SESSIONS_BUCKET, { history: 1, ttl: env.maxSessionSeconds * 1000, replicas: env.replicas });
  })().catch((err: unknown) => {
    holder.kv = undefined;
    throw err;
  });
  return holder.kv;
}

/** Stores a session for opened login creds; the creds stay sealed at rest. */
export async function createSession(login: PortalLogin, sealed: SealedPortalLogin): Promise<Session> {
  const env = await portalEnv();
  const now = Date.now();
  const expires = Math.min(Date.parse(login.expires_at), now + env.maxSessionSeconds * 1000);
  const session: Session = {
    id: randomBytes(32).toString('base64url'),
    version: 1,
    account: login.account,
    sealed,
    created_at: new Date(now).toISOString(),
    expires_at: new Date(expires).toISOString(),
    ...(login.context ? { context: login.context } : {}),
  };
  const { id, ...stored } = session;
  await (await bucket()).put(id, enc.encode(JSON.stringify(PortalSession.check(stored))));
  return session;
}

/** The live session with this id, or null (unknown, deleted, expired or malformed). */
export async function findSession(id: string): Promise<Session | null> {
  if (!SESSION_ID_PATTERN.test(id)) return null;
  const entry = await (await bucket()).get(id);
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return null;
  let stored: PortalSession;
  try {
    stored = PortalSession.decode(entry.value);
  } catch {
    return null;
  }
  if (Date.parse(stored.expires_at) <= Date.now()) {
    await deleteSession(id);
    return null;
  }
  return { id, ...stored };
}

export async function deleteSession(id: string): Promise<void> {
  if (!SESSION_ID_PATTERN.test(id)) return;
  await (await bucket()).purge(id);
}
