import type { NextRequest } from 'next/server';
import { Codes, NatsterError, isCatalogAlias } from '@natster/protocol';
import { signedInOrNull, unauthorized } from '@/server/current-session';
import { portalEnv } from '@/server/env';
import { errorResponse } from '@/server/error-response';
import { mediaSource } from '@/server/media-source';
import { rangeResponse } from '@/server/range-response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const SHA256 = /^[0-9a-f]{64}$/;

async function serve(request: NextRequest, params: Promise<{ catalog: string; hash: string }>): Promise<Response> {
  const signedIn = await signedInOrNull();
  if (!signedIn) return unauthorized();
  const { catalog, hash } = await params;
  try {
    if (!isCatalogAlias(catalog) || !SHA256.test(hash)) throw new NatsterError(Codes.notFound, 'no such file: open it from its catalog page');
    const source = await mediaSource(signedIn, catalog, hash, request.signal);
    const attachmentName = request.nextUrl.searchParams.get('download');
    // `bytes=N-` from a media element is capped, so a seek never commits to the rest of a large file
    return await rangeResponse(request, source, attachmentName ? { attachmentName } : { maxOpenRange: (await portalEnv()).maxMediaRangeBytes });
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * Streams a file of a catalog, decrypted, honouring Range (so `<video>` and
 * `<audio>` seek natively); `?download=<name>` saves it under that name.
 */
export function GET(request: NextRequest, { params }: { params: Promise<{ catalog: string; hash: string }> }) {
  return serve(request, params);
}

export function HEAD(request: NextRequest, { params }: { params: Promise<{ catalog: string; hash: string }> }) {
  return serve(request, params);
}
