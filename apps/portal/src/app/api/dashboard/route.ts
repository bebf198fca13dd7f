import { signedInOrNull, unauthorized } from '@/server/current-session';
import { loadDashboard } from '@/server/dashboard-data';
import { errorResponse } from '@/server/error-response';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export async function GET() {
  const signedIn = await signedInOrNull();
  if (!signedIn) return unauthorized();
  try {
    return Response.json(await loadDashboard(signedIn));
  } catch (err) {
    return errorResponse(err);
  }
}
