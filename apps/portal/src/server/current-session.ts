import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { NatsConnection } from '@natster/nats';
import { findSession, type Session } from './session-store';
import { userConnection } from './user-connections';

/** The only thing the browser holds: a random session id. */
export const SESSION_COOKIE = 'natster_session';

/** Cookie attributes; `secure` when the portal's public URL is https (`PortalEnv.secureCookies`). */
export function sessionCookie(id: string, expiresAt: string, secure: boolean) {
  return {
    name: SESSION_COOKIE,
    value: id,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure,
    path: '/',
    expires: new Date(expiresAt),
  };
}

export async function currentSession(): Promise<Session | null> {
  const id = (await cookies()).get(SESSION_COOKIE)?.value;
  return id ? findSession(id) : null;
}

export interface SignedIn {
  session: Session;
  nc: NatsConnection;
}

/** For pages: the signed-in user and their connection, or a redirect to the sign-in page. */
export async function requireSignedIn(): Promise<SignedIn> {
  const session = await currentSession();
  if (!session) redirect('/signin');
  return { session, nc: await userConnection(session) };
}

/** For API routes: the signed-in user, or null (the route answers 401). */
export async function signedInOrNull(): Promise<SignedIn | null> {
  const session = await currentSession();
  return session ? { session, nc: await userConnection(session) } : null;
}

export function unauthorized(): Response {
  return Response.json({ error: 'you are signed out: run `natster login` to get a new sign-in link' }, { status: 401 });
}
