import type { NatsConnection, RequestOptions } from 'nats';
import { Codes, NatsterError, type Envelope, type Message } from '@natster/protocol';
import type { Static, TSchema } from '@sinclair/typebox';
import { decodeJson, encodeJson } from './json';

export interface CallOptions {
  timeout?: number;
  headers?: RequestOptions['headers'];
  /** Text for "no responders": who is not answering and what to do (e.g. "catalog offline"). */
  offline?: string;
}

/**
 * Sends a request and returns the envelope's data validated against the
 * reply schema. Non-200 envelopes, timeouts and "no responders" become a
 * NatsterError with a message the user can act on.
 */
export async function call<S extends TSchema>(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  reply: Message<S>,
  options: CallOptions = {},
): Promise<Static<S>> {
  let data: Uint8Array;
  try {
    const msg = await nc.request(subject, encodeJson(body ?? {}), {
      timeout: options.timeout ?? 5000,
      ...(options.headers ? { headers: options.headers } : {}),
    });
    data = msg.data;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '503') {
      throw new NatsterError(Codes.unavailable, options.offline ?? `nothing answers on ${subject}: is the service running?`, { cause: err });
    }
    if (code === 'TIMEOUT') {
      throw new NatsterError(Codes.timeout, `no reply on ${subject} within ${options.timeout ?? 5000} ms`, { cause: err });
    }
    throw err;
  }
  let envelope: Envelope;
  try {
    envelope = decodeJson(data) as Envelope;
  } catch (err) {
    throw new NatsterError(Codes.internal, `reply on ${subject} is not JSON`, { cause: err });
  }
  if (typeof envelope?.code !== 'number') throw new NatsterError(Codes.internal, `reply on ${subject} is not an envelope`);
  if (envelope.code !== Codes.ok) throw NatsterError.fromEnvelope(envelope, subject);
  return reply.check(envelope.data);
}
