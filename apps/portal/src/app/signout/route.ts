import type { NextRequest } from 'next/server';
import { SESSION_COOKIE } from '@/server/current-session';
import { portalEnv } from '@/server/env';
import { refuseCrossSite } from '@/server/same-origin';
import { revokeSessionCreds } from '@/server/revoke-session';
import { seeOther } from '@/server/see-other';
import { deleteSession } from '@/server/session-store';
import { closeUserConnection } from '@/server/user-connections';

export const runtime = 'nodejs';

/** Ends the session everywhere: KV entry, the user's connection, the cookie. */
export async function POST(request: NextRequest) {
  const refused = await refuseCrossSite(request);
  if (refused) return refused;
  const id = request.cookies.get(SESSION_COOKIE)?.value;
  if (id) {
    await revokeSessionCreds(id);
    await Promise.all([deleteSession(id), closeUserConnection(id)]);
  }
  const response = seeOther('/signin?signed_out=1');
  // with the attributes it was set with: a browser may ignore a non-Secure overwrite of a Secure cookie
  response.cookies.delete({ name: SESSION_COOKIE, path: '/', secure: (await portalEnv()).secureCookies });
  return response;
}
