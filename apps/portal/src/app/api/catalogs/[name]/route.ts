import type { NextRequest } from 'next/server';
import { signedInOrNull, unauthorized } from '@/server/current-session';
import { filesPage } from '@/server/catalog-data';
import { errorResponse } from '@/server/error-response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** A page of a catalog's files: ?q= filters by name, ?cursor= continues. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ name: string }> }) {
  const signedIn = await signedInOrNull();
  if (!signedIn) return unauthorized();
  const { name } = await params;
  const query = request.nextUrl.searchParams;
  try {
    return Response.json(await filesPage(signedIn, name, query.get('q')?.trim() ?? '', query.get('cursor')));
  } catch (err) {
    return errorResponse(err);
  }
}
