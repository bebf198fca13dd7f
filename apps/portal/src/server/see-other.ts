import { NextResponse } from 'next/server';

/**
 * A 303 to a path on this portal. The Location stays relative: behind a proxy,
 * or when Next thinks it is `localhost`, an absolute URL would send the
 * browser to another origin, without its session cookie.
 */
export function seeOther(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path } });
}
