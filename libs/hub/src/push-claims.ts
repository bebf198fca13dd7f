import type { NatsConnection } from 'nats';

/**
 * Pushes an account JWT to every server through the system account
 * ($SYS.REQ.CLAIMS.UPDATE); a full resolver stores it durably.
 */
export async function pushAccountJwt(sys: NatsConnection, jwt: string, timeout = 5000): Promise<void> {
  const reply = await sys.request('$SYS.REQ.CLAIMS.UPDATE', new TextEncoder().encode(jwt), { timeout });
  const body = JSON.parse(new TextDecoder().decode(reply.data)) as { error?: { description?: string }; data?: { code?: number; message?: string } };
  if (body.error) throw new Error(`the server refused the account JWT: ${body.error.description ?? 'unknown error'}`);
}

/** Looks up the JWT the server currently holds for an account, or null. */
export async function lookupAccountJwt(sys: NatsConnection, account: string, timeout = 5000): Promise<string | null> {
  const reply = await sys.request(`$SYS.REQ.ACCOUNT.${account}.CLAIMS.LOOKUP`, new Uint8Array(), { timeout });
  const text = new TextDecoder().decode(reply.data);
  return text.startsWith('ey') ? text : null;
}
