import { NextResponse, type NextRequest } from 'next/server';
import { newNonce, pageSecurityHeaders } from './server/page-security';

/**
 * Gives every page its own CSP nonce: Next reads it from the request's
 * Content-Security-Policy header and stamps it on the scripts it renders.
 */
export function proxy(request: NextRequest) {
  const headers = pageSecurityHeaders(newNonce(), process.env.NODE_ENV === 'development');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // pages only: API routes answer JSON or media with their own headers; static files carry no script of ours to protect
  matcher: [{ source: '/((?!api/|_next/static|_next/image|favicon.ico).*)' }],
};
