import { Codes, NatsterError } from '@natster/protocol';
import type { NatsConnection } from '@natster/nats';
import { GlobalClient } from './global';

/** A catalog server checks every other account against the global service: with that down, it cannot answer them either. */
export const GLOBAL_DOWN =
  "the hub's global service is not answering, so catalog servers cannot check who may use them: ask the hub's operator to check `natster hub status`";

/** How long the global service gets to answer a whoami when we need to know whether it is up. */
const PROBE_MS = 1500;

/** Whether the hub's global service answers a quick whoami. */
export async function globalAnswers(nc: NatsConnection): Promise<boolean> {
  try {
    await new GlobalClient(nc, PROBE_MS).whoami();
    return true;
  } catch (err) {
    return !(err instanceof NatsterError && (err.code === Codes.unavailable || err.code === Codes.timeout));
  }
}

/**
 * A request through a service import whose exporter has no responder
 * times out instead of failing fast, so a timeout is reported as the
 * service being down, with what to do about it. Given the connection
 * (`hub`), it first asks whether the global service answers, so a hub-side
 * outage is not blamed on the service (e.g. on a friend's catalog server).
 */
export async function orUnavailable<T>(request: Promise<T>, offline: string, hub?: NatsConnection): Promise<T> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof NatsterError && err.code === Codes.timeout) {
      const cause = hub && !(await globalAnswers(hub)) ? GLOBAL_DOWN : offline;
      throw new NatsterError(Codes.unavailable, cause, { cause: err });
    }
    throw err;
  }
}
