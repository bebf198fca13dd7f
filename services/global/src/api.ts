import { route, type RequestContext, type Route } from '@natster/nats';
import {
  Codes,
  ContextGetRequest,
  EventsPutRequest,
  GlobalOps,
  HeartbeatOfflineRequest,
  HeartbeatRequest,
  MySharesRequest,
  NatsterError,
  OtcClaimRequest,
  OtcGenerateRequest,
  StatsRequest,
  ValidateCatalogNameRequest,
  WhoamiRequest,
  type GlobalOp,
} from '@natster/protocol';
import type { GlobalConfig } from './config';
import { authorizeEvent } from './authorize-event';
import { appendEvent } from './event-log';
import { announceOffline, putHeartbeat, type HeartbeatDeps } from './heartbeats';
import { claimCode, generateCode, type OtcDeps } from './one-time-codes';
import { accountView, myShares, stats, validateCatalogName, whoami, type ReadModel } from './queries';

export interface ApiDeps extends HeartbeatDeps, OtcDeps, ReadModel {
  config: GlobalConfig;
}

const GLOBAL_PREFIX = 'natster.global.';
const knownOps = new Set<string>(Object.values(GlobalOps));

/** `<token>.natster.global.<op>` → op, or null (404) for anything else; the caller check comes later. */
export function globalOpOf(subject: string): GlobalOp | null {
  const local = subject.slice(subject.indexOf('.') + 1);
  if (!local.startsWith(GLOBAL_PREFIX)) return null;
  const op = local.slice(GLOBAL_PREFIX.length);
  return knownOps.has(op) ? (op as GlobalOp) : null;
}

/** The calling account; same-account (unscoped) requests have none and are refused. */
function callerOf(ctx: RequestContext): string {
  if (!ctx.caller) throw new NatsterError(Codes.forbidden, 'requests must come through the natster_global import of a Natster account');
  return ctx.caller;
}

function portalOnly(ctx: RequestContext, config: GlobalConfig): string {
  const caller = callerOf(ctx);
  if (caller !== config.portalAccount) throw new NatsterError(Codes.forbidden, 'only the portal may call this operation');
  return caller;
}

export function globalRoutes(deps: ApiDeps): Route[] {
  const { config } = deps;
  return [
    route({
      op: GlobalOps.eventsPut,
      request: EventsPutRequest,
      handle: async (event, ctx) => {
        authorizeEvent(event, callerOf(ctx), config.authorityAccount);
        return appendEvent(deps.js, config.dataKey, event);
      },
    }),
    route({ op: GlobalOps.heartbeatsPut, request: HeartbeatRequest, handle: (body, ctx) => putHeartbeat(deps, callerOf(ctx), body) }),
    route({
      op: GlobalOps.heartbeatsOffline,
      request: HeartbeatOfflineRequest,
      handle: (body, ctx) => announceOffline(deps, callerOf(ctx), body, config.logger),
    }),
    route({ op: GlobalOps.stats, request: StatsRequest, handle: (_body, ctx) => (callerOf(ctx), stats(deps)) }),
    route({ op: GlobalOps.myShares, request: MySharesRequest, handle: async (_body, ctx) => ({ shares: await myShares(deps, callerOf(ctx)) }) }),
    route({ op: GlobalOps.otcGenerate, request: OtcGenerateRequest, handle: (body, ctx) => generateCode(deps, callerOf(ctx), body) }),
    route({ op: GlobalOps.otcClaim, request: OtcClaimRequest, handle: (body, ctx) => (portalOnly(ctx, config), claimCode(deps, body.code)) }),
    route({ op: GlobalOps.whoami, request: WhoamiRequest, handle: (_body, ctx) => whoami(deps, callerOf(ctx)) }),
    route({
      op: GlobalOps.contextGet,
      request: ContextGetRequest,
      handle: async (body, ctx) => {
        portalOnly(ctx, config);
        const view = await accountView(deps, body.account);
        if (!view) throw new NatsterError(Codes.notFound, `account ${body.account} is not known to the global service`);
        return view;
      },
    }),
    route({
      op: GlobalOps.validateCatalogName,
      request: ValidateCatalogNameRequest,
      handle: (body, ctx) => validateCatalogName(deps, callerOf(ctx), body.name),
    }),
  ];
}
