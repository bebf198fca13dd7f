import type { NextRequest } from 'next/server';
import { GlobalClient } from '@natster/client';
import { Codes, NatsterError, SealedPortalLogin } from '@natster/protocol';
import { createLogger } from '@natster/nats';
import type { SigninProblem } from '@/features/signin/problems';
import { sessionCookie } from '@/server/current-session';
import { portalEnv } from '@/server/env';
import { openPortalLogin } from '@/server/login-seal';
import { portalConnection } from '@/server/portal-connection';
import { refuseCrossSite } from '@/server/same-origin';
import { seeOther } from '@/server/see-other';
import { createSession, deleteSession } from '@/server/session-store';
import { closeUserConnection, userConnection } from '@/server/user-connections';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const log = createLogger('portal');
const CODE = /^[A-Za-z0-9]{6,16}$/;

function problemOf(err: unknown): SigninProblem {
  if (!(err instanceof NatsterError)) return 'unavailable';
  switch (err.code) {
    case Codes.notFound:
    case Codes.gone:
    case Codes.conflict:
      return 'expired';
    case Codes.badRequest:
      return 'invalid';
    case Codes.forbidden:
      return 'foreign';
    default:
      return 'unavailable';
  }
}

const toSignin = (problem: SigninProblem) => seeOther(`/signin?problem=${problem}`);

/**
 * The sign-in button of the claim page posts here: claims the one-time code,
 * opens the sealed creds, proves they work by connecting as the user, then
 * starts a session and sends the browser to its dashboard. A POST, so a link
 * preview fetching the link `natster login` printed cannot use up the code.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ code: string }> }) {
  // another site must not sign this browser in to an account of its choosing
  const refused = await refuseCrossSite(request);
  if (refused) return refused;
  const { code } = await params;
  if (!CODE.test(code)) return toSignin('invalid');

  let sealedText: string;
  let account: string;
  try {
    const claim = await new GlobalClient(await portalConnection()).otcClaim(code);
    sealedText = claim.sealed;
    account = claim.account;
  } catch (err) {
    log.warn('sign-in code not claimed', { error: (err as Error).message });
    return toSignin(problemOf(err));
  }

  const env = await portalEnv();
  let session;
  try {
    const sealed = SealedPortalLogin.check(JSON.parse(sealedText));
    const login = openPortalLogin(sealed, env.xkeySeed);
    if (login.account !== account) throw new NatsterError(Codes.forbidden, 'the creds in this code belong to another account');
    session = await createSession(login, sealed);
  } catch (err) {
    log.warn('sign-in payload refused', { error: (err as Error).message });
    return toSignin(err instanceof NatsterError && err.code === Codes.forbidden ? 'foreign' : 'invalid');
  }

  try {
    await userConnection(session);
  } catch (err) {
    log.warn('sign-in creds refused by the hub', { account, error: (err as Error).message });
    await closeUserConnection(session.id);
    await deleteSession(session.id);
    return toSignin('rejected');
  }

  log.info('signed in', { account });
  const response = seeOther('/');
  response.cookies.set(sessionCookie(session.id, session.expires_at, env.secureCookies));
  return response;
}
