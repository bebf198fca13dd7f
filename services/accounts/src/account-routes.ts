import { Type, type TSchema, type Static } from '@sinclair/typebox';
import {
  AccountRepairRequest,
  AccountsGetRequest,
  AccountsOps,
  CatalogImportRequest,
  Codes,
  NatsterError,
  message,
  type AccountClaimsReply,
  type AccountRepairReply,
  type Message,
} from '@natster/protocol';
import { route, type RequestContext, type Route } from '@natster/nats';
import { catalogsOf, type ClaimsSigner } from './account-claims';
import { editAccount, repairAccount } from './account-editor';
import type { AccountDirectory } from './directory';
import type { AccountStore, StoredAccount } from './store';

/**
 * Bodies are first read leniently so that one naming another account gets a
 * 403 (not a schema 400); then the operation's own schema applies.
 */
const AnyBody = message(Type.Object({ account: Type.Optional(Type.Unknown()) }), 'accounts request');

function ownBody<S extends TSchema>(caller: string, body: Static<typeof AnyBody.schema>, schema: Message<S>): Static<S> {
  const { account, ...rest } = body;
  if (account !== undefined && account !== caller) {
    throw new NatsterError(Codes.forbidden, 'an account may only change its own imports');
  }
  return schema.check(rest);
}

function callerOrRefuse(ctx: RequestContext): string {
  if (!ctx.caller) throw new NatsterError(Codes.forbidden, 'requests must come through the natster_accounts import (no caller account)');
  return ctx.caller;
}

export interface AccountRoutesDeps {
  signer: ClaimsSigner;
  store: AccountStore;
  directory: AccountDirectory;
  push(jwt: string): Promise<void>;
  /** Accounts that may own catalogs besides user accounts (the HUB). */
  catalogOwners: string[];
}

export function accountRoutes(deps: AccountRoutesDeps): Route[] {
  const reply = (account: string, jwt: string): AccountClaimsReply => ({ account, jwt, imports: catalogsOf(jwt), damaged: deps.signer.problems(jwt) });

  const stored = async (account: string): Promise<StoredAccount> => {
    const found = await deps.directory.find(account);
    if (!found) throw new NatsterError(Codes.notFound, `account ${account} was not signed up with this hub's authority: run \`natster init\``);
    return found;
  };

  const edit = async (account: string, change: (jwt: string) => Promise<string>): Promise<AccountClaimsReply> =>
    reply(account, await editAccount(deps, () => stored(account), change));

  const knownOwner = async (owner: string) => {
    if (deps.catalogOwners.includes(owner) || (await deps.directory.find(owner).catch(() => null))) return;
    throw new NatsterError(Codes.notFound, `no account ${owner} on this hub: check the owner's account key`);
  };

  return [
    route({
      op: AccountsOps.importCatalog,
      request: AnyBody,
      handle: async (body, ctx) => {
        const caller = callerOrRefuse(ctx);
        const { catalog, owner } = ownBody(caller, body, CatalogImportRequest);
        if (owner !== caller) await knownOwner(owner);
        return edit(caller, (jwt) => deps.signer.addCatalog(jwt, catalog, owner));
      },
    }),
    route({
      op: AccountsOps.unimportCatalog,
      request: AnyBody,
      handle: async (body, ctx) => {
        const caller = callerOrRefuse(ctx);
        const { catalog, owner } = ownBody(caller, body, CatalogImportRequest);
        return edit(caller, (jwt) => deps.signer.removeCatalog(jwt, catalog, owner));
      },
    }),
    route({
      op: AccountsOps.repair,
      request: AnyBody,
      handle: async (body, ctx): Promise<AccountRepairReply> => {
        const caller = callerOrRefuse(ctx);
        ownBody(caller, body, AccountRepairRequest);
        const { jwt, repaired } = await repairAccount(deps, () => stored(caller));
        return { ...reply(caller, jwt), repaired };
      },
    }),
    route({
      op: AccountsOps.get,
      request: AnyBody,
      handle: async (body, ctx) => {
        const caller = callerOrRefuse(ctx);
        ownBody(caller, body, AccountsGetRequest);
        return reply(caller, (await stored(caller)).record.jwt);
      },
    }),
  ];
}
