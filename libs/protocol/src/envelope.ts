/**
 * Every reply on NATS is one envelope `{ code, error?, data? }` with
 * HTTP-like codes, so every client handles success and failure the same way.
 */
export const Codes = {
  ok: 200,
  badRequest: 400,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  gone: 410,
  tooLarge: 413,
  tooMany: 429,
  internal: 500,
  notImplemented: 501,
  unavailable: 503,
  timeout: 504,
} as const;
export type Code = (typeof Codes)[keyof typeof Codes];

export interface Envelope<T = unknown> {
  /** HTTP-like status: 200 on success, 4xx for the caller's mistakes, 5xx for ours. */
  code: number;
  /** What went wrong and, where it helps, what to do next. Absent on success. */
  error?: string;
  /** The reply body on success. */
  data?: T;
}

/** An error that carries an envelope code; services turn it into a reply, clients throw it. */
export class NatsterError extends Error {
  override name = 'NatsterError';
  constructor(
    readonly code: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The error a client raises for a non-200 envelope. */
  static fromEnvelope(envelope: Envelope, subject: string): NatsterError {
    return new NatsterError(envelope.code, envelope.error ?? `request to ${subject} failed with code ${envelope.code}`);
  }
}

export function ok<T>(data: T): Envelope<T> {
  return { code: Codes.ok, data };
}

export function fail(code: number, error: string): Envelope<never> {
  return { code, error };
}
