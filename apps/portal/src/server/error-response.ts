import { Codes, NatsterError } from '@natster/protocol';
import { createLogger } from '@natster/nats';
import { UnreachableError } from './unreachable';

const log = createLogger('portal');

/** A failure as JSON for the browser: NatsterError messages are written for people. */
export function errorResponse(err: unknown): Response {
  if (err instanceof UnreachableError) return Response.json({ error: err.message, reason: err.reason }, { status: err.code });
  if (err instanceof NatsterError) {
    const status = err.code >= 400 && err.code < 600 ? err.code : Codes.internal;
    return Response.json({ error: err.message }, { status });
  }
  log.error('portal request failed', { error: (err as Error).message });
  return Response.json({ error: 'the portal hit an unexpected problem: try again, and check the portal log if it keeps happening' }, { status: 500 });
}
