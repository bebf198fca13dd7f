import { Type } from '@sinclair/typebox';
import { importShare } from '@/server/import-share';
import { signedInOrNull, unauthorized } from '@/server/current-session';
import { errorResponse } from '@/server/error-response';
import { refuseCrossSite } from '@/server/same-origin';
import { AccountKey, CatalogName, message } from '@natster/protocol';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const ImportBody = message(Type.Object({ catalog: CatalogName, owner: AccountKey }, { additionalProperties: false }), 'import request');

/** Imports a catalog shared with the signed-in account (the dashboard's Import button). */
export async function POST(request: Request) {
  const refused = await refuseCrossSite(request, { json: true });
  if (refused) return refused;
  const signedIn = await signedInOrNull();
  if (!signedIn) return unauthorized();
  try {
    const { catalog, owner } = ImportBody.decode(new Uint8Array(await request.arrayBuffer()));
    await importShare(signedIn, catalog, owner);
    return Response.json({ imported: true });
  } catch (err) {
    return errorResponse(err);
  }
}
