import { describe, expect, it } from 'vitest';
import { pageSecurityHeaders } from '../src/server/page-security';
import { crossSiteProblem } from '../src/server/same-origin';

const PORTAL = 'http://127.0.0.1:3000';
const check = (headers: Record<string, string>, json = false) => crossSiteProblem(new Headers(headers), PORTAL, { json });

describe('state-changing requests come from the portal itself', () => {
  it('the portal’s own form posts and JSON calls pass', () => {
    expect(check({ origin: PORTAL })).toBeNull();
    expect(check({ 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(check({ origin: PORTAL, 'content-type': 'application/json; charset=utf-8' }, true)).toBeNull();
  });

  it('another site, a sandboxed page (Origin: null) or a request that says nothing is refused with 403', () => {
    const cases: Record<string, string>[] = [
      { origin: 'http://127.0.0.2:3000' },
      { origin: 'http://127.0.0.1:3001' },
      { origin: 'null' },
      { origin: 'http://127.0.0.1:3000.evil.test' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      {},
    ];
    for (const headers of cases) {
      expect(check(headers)?.status, JSON.stringify(headers)).toBe(403);
    }
    expect(check({ origin: 'http://127.0.0.2:3000' })?.error).toMatch(/http:\/\/127.0.0.2:3000.*Open the portal at http:\/\/127.0.0.1:3000/);
  });

  it('Origin wins over Sec-Fetch-Site', () => {
    expect(check({ origin: 'http://127.0.0.2:3000', 'sec-fetch-site': 'same-origin' })?.status).toBe(403);
  });

  it('a JSON route refuses any other body type with 415 (a cross-site text/plain post needs no preflight)', () => {
    expect(check({ origin: PORTAL, 'content-type': 'text/plain' }, true)?.status).toBe(415);
    expect(check({ origin: PORTAL }, true)?.status).toBe(415);
    expect(check({ origin: PORTAL, 'content-type': 'application/x-www-form-urlencoded' }, true)?.status).toBe(415);
  });
});

describe('the portal’s pages', () => {
  it('allow only scripts with this response’s nonce, cannot be framed, and post only to themselves', () => {
    const headers = pageSecurityHeaders('bm9uY2U=', false);
    const csp = headers['Content-Security-Policy']!;
    expect(csp).toContain("script-src 'self' 'nonce-bm9uY2U=' 'strict-dynamic'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", "form-action 'self'"]) expect(csp).toContain(directive);
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(headers['Referrer-Policy']).toBe('same-origin');
  });
});
