/**
 * Headers of the portal's own pages. Scripts run only with this response's
 * nonce (Next puts it on its framework and inline scripts) or when loaded
 * by such a script ('strict-dynamic'); nothing may frame the portal, and
 * forms only post back to it.
 */
export function pageSecurityHeaders(nonce: string, dev: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    // React's dev build evaluates source maps for its error overlay; production needs no eval
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' blob: data:",
    "media-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    // a sign-in link carries its one-time code in the path: never hand it to another site.
    // Not 'no-referrer': under it a browser sends `Origin: null` on posts, which the CSRF check must refuse.
    'Referrer-Policy': 'same-origin',
  };
}

/** A fresh, unguessable nonce per response. */
export const newNonce = (): string => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
