import type { MsgHdrs, NatsConnection, Service, ServiceMsg } from 'nats';
import { Codes, NatsterError, callerOf, fail, ok, type Envelope, type Message } from '@natster/protocol';
import type { TSchema, Static } from '@sinclair/typebox';
import type { Logger } from './logger';
import { encodeJson } from './json';

/** What a handler knows about the request besides its validated body. */
export interface RequestContext {
  /** The full subject the request arrived on. */
  subject: string;
  /** The caller's account (token 1 of an imported subject), or null for a same-account caller. */
  caller: string | null;
  headers: MsgHdrs | undefined;
  /** Raw request bytes, for handlers that need them. */
  data: Uint8Array;
}

export interface Route<S extends TSchema = TSchema, R = unknown> {
  /** Operation name, matched against what `opOf` extracts from the subject. */
  op: string;
  request: Message<S>;
  /** Largest accepted body; defaults to the protocol's MAX_REQUEST_BYTES. */
  maxBytes?: number;
  handle(body: Static<S>, ctx: RequestContext): Promise<R> | R;
}

/** Erases a route's body type so routes of different schemas fit in one list. */
export function route<S extends TSchema, R>(r: Route<S, R>): Route {
  return r as unknown as Route;
}

export interface EndpointSpec {
  /** Endpoint name in `$SRV.STATS`. */
  name: string;
  /** Subscription subject (wildcards allowed). */
  subject: string;
  /** Extracts the operation from a subject; null means "no such operation" (404). */
  opOf(subject: string): string | null;
  routes: Route[];
  /** Queue group; defaults to the service's. */
  queue?: string;
}

export interface ServiceSpec {
  name: string;
  version: string;
  description: string;
  /** Queue group every endpoint joins, so copies of a service share the load. */
  queue: string;
  logger: Logger;
  metadata?: Record<string, string>;
  /** Extra data for `$SRV.STATS` (e.g. active transfers). */
  stats?: () => unknown;
}

/** Encodes a reply envelope; non-200 replies also carry the NATS service error headers. */
function respond(msg: ServiceMsg, envelope: Envelope): void {
  if (!msg.reply) return;
  const body = encodeJson(envelope);
  if (envelope.code === Codes.ok) msg.respond(body);
  else msg.respondError(envelope.code, envelope.error ?? 'error', body);
}

/**
 * Serves requests through the NATS service API (`$SRV.PING|INFO|STATS`),
 * routing by operation, validating every body before use, and turning
 * every failure into an envelope: bad input gets a 4xx, never a crash.
 */
export async function startService(nc: NatsConnection, spec: ServiceSpec, endpoints: EndpointSpec[]): Promise<Service> {
  const service = await nc.services.add({
    name: spec.name,
    version: spec.version,
    description: spec.description,
    queue: spec.queue,
    ...(spec.metadata ? { metadata: spec.metadata } : {}),
    ...(spec.stats ? { statsHandler: async () => spec.stats?.() ?? null } : {}),
  });
  for (const endpoint of endpoints) {
    const routes = new Map(endpoint.routes.map((r) => [r.op, r]));
    service.addEndpoint(endpoint.name, {
      subject: endpoint.subject,
      ...(endpoint.queue ? { queue: endpoint.queue } : {}),
      handler: (err, msg) => {
        if (err) {
          spec.logger.error('endpoint subscription failed', { endpoint: endpoint.name, error: err });
          return;
        }
        void handle(msg, endpoint, routes, spec.logger);
      },
    });
  }
  spec.logger.info('service started', { name: spec.name, version: spec.version, endpoints: endpoints.map((e) => e.subject) });
  return service;
}

async function handle(msg: ServiceMsg, endpoint: EndpointSpec, routes: Map<string, Route>, logger: Logger): Promise<void> {
  const started = performance.now();
  const op = endpoint.opOf(msg.subject);
  const r = op === null ? undefined : routes.get(op);
  let envelope: Envelope;
  try {
    if (!r) throw new NatsterError(Codes.notFound, `no such operation: ${msg.subject}`);
    const body = r.request.decode(msg.data, r.maxBytes);
    const ctx: RequestContext = { subject: msg.subject, caller: callerOf(msg.subject), headers: msg.headers, data: msg.data };
    envelope = ok(await r.handle(body, ctx));
  } catch (error) {
    if (error instanceof NatsterError) {
      envelope = fail(error.code, error.message);
      // 500 is our fault; 503/504 mean something this service needs is down or slow.
      if (error.code === Codes.internal) logger.error('request failed', { subject: msg.subject, code: error.code, error });
      else if (error.code >= 500) logger.warn('request failed', { subject: msg.subject, code: error.code, error });
      else logger.debug('request refused', { subject: msg.subject, code: error.code, reason: error.message });
    } else {
      envelope = fail(Codes.internal, 'internal error; the service logged the details');
      logger.error('request crashed', { subject: msg.subject, error });
    }
  }
  respond(msg, envelope);
  logger.debug('request', { subject: msg.subject, code: envelope.code, ms: Math.round(performance.now() - started) });
}
