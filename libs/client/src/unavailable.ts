import { Codes, NatsterError } from '@natster/protocol';

/**
 * A request through a service import whose exporter has no responder
 * times out instead of failing fast, so a timeout is reported as the
 * service being down, with what to do about it.
 */
export async function orUnavailable<T>(request: Promise<T>, offline: string): Promise<T> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof NatsterError && err.code === Codes.timeout) throw new NatsterError(Codes.unavailable, offline, { cause: err });
    throw err;
  }
}
