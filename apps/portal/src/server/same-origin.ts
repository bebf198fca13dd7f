import { createLogger } from '@natster/nats';
import { portalEnv } from './env';

const log = createLogger('portal');

export interface SameOriginRule {
  /** The route reads a JSON body: anything else (a `text/plain` form post from another site) is refused. */
  json?: boolean;
}

/**
 * Why a state-changing request must be refused, or null to let it through.
 * Browsers say where a request comes from in `Origin` (or, failing that,
 * `Sec-Fetch-Site`), which a page on another site cannot forge; a request
 * that says neither is refused too, since every browser sends one on a POST.
 */
export function crossSiteProblem(headers: Headers, portalOrigin: string, rule: SameOriginRule = {}): { status: 403 | 415; error: string } | null {
  const origin = headers.get('origin');
  const site = headers.get('sec-fetch-site');
  const sameOrigin = origin !== null ? origin === portalOrigin : site === 'same-origin';
  if (!sameOrigin) {
    const from = origin ?? (site ? `a ${site} page` : 'an unknown page');
    return { status: 403, error: `refused: this request came from ${from}, not from the portal. Open the portal at ${portalOrigin} and try again there` };
  }
  if (rule.json && headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    return { status: 415, error: 'send the request body as application/json' };
  }
  return null;
}

/** For route handlers: a 403/415 response to return at once, or null when the request may proceed. */
export async function refuseCrossSite(request: Request, rule: SameOriginRule = {}): Promise<Response | null> {
  const problem = crossSiteProblem(request.headers, new URL((await portalEnv()).portalUrl).origin, rule);
  if (!problem) return null;
  log.warn('state-changing request refused', { path: new URL(request.url).pathname, status: problem.status, origin: request.headers.get('origin'), site: request.headers.get('sec-fetch-site') });
  return Response.json({ error: problem.error }, { status: problem.status });
}
