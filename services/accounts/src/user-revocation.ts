import { fromPublic } from 'nkeys.js';
import { decodeJwt, resignAccountJwt, type RevocationList, type User } from '@natster/claims';
import { AccountsOps, Codes, NatsterError, UserRevokeRequest, userRevocationProof, type UserRevokeReply } from '@natster/protocol';
import { route, type Logger, type Route } from '@natster/nats';
import { editAccount, type AccountEditorDeps } from './account-editor';
import type { AccountDirectory } from './directory';

/**
 * The longest user JWT lifetime this op accepts (`natster login --days` allows
 * up to 365). A revocation older than that can only name JWTs that have
 * expired anyway, so it is pruned and the account JWT stays small.
 */
export const MAX_REVOCABLE_LIFETIME_S = 366 * 86_400;
/** How old (or early, for clock skew) a signed revocation proof may be. */
const PROOF_WINDOW_S = 60;
/**
 * Most revoked users an account JWT lists (within the pruning window). A
 * daily sign-in and sign-out for a year is 366; the cap only stops one
 * account from growing its own JWT without bound.
 */
export const MAX_REVOCATIONS = 1000;

export interface UserRevocationDeps extends AccountEditorDeps {
  directory: AccountDirectory;
  signingSeed: string;
  /**
   * Runs `task` once this request's reply has reached the server. The server
   * drops the revoked user's connections the moment it gets the new JWT, and
   * the caller is usually that very user: pushed earlier, the reply is lost.
   */
  afterReply(task: () => Promise<void>): void;
  /** Seconds since the epoch. */
  now?: () => number;
}

/** The account's revocations with `user` added and entries past any revocable JWT's lifetime removed. */
export function revocationsWith(current: RevocationList | undefined, user: string, at: number, now: number): RevocationList {
  const kept = Object.fromEntries(Object.entries(current ?? {}).filter(([, when]) => when > now - MAX_REVOCABLE_LIFETIME_S));
  if (!(user in kept) && Object.keys(kept).length >= MAX_REVOCATIONS) {
    throw new NatsterError(Codes.tooMany, `this account already lists ${MAX_REVOCATIONS} revoked sessions from the last year; older ones drop off with time`);
  }
  return { ...kept, [user]: Math.max(at, kept[user] ?? 0) };
}

function refuse(why: string): never {
  throw new NatsterError(Codes.forbidden, `revocation refused: ${why}`);
}

/** Checks the request proves the user seed and names an expiring JWT of the caller's own account; returns that JWT's issue time. */
function checkProof(caller: string, request: UserRevokeRequest, now: number): number {
  if (Math.abs(now - request.issued_at) > PROOF_WINDOW_S) refuse('the proof is not fresh; sign a new one (is this machine’s clock right?)');
  let valid: boolean;
  try {
    const proof = new TextEncoder().encode(userRevocationProof(caller, request.user, request.issued_at));
    valid = fromPublic(request.user).verify(proof, Buffer.from(request.signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) refuse('the signature does not prove possession of the user seed');
  let claims: ReturnType<typeof decodeJwt<User>>;
  try {
    claims = decodeJwt<User>(request.jwt);
  } catch {
    throw new NatsterError(Codes.badRequest, 'jwt is not a user JWT');
  }
  if (claims.sub !== request.user || claims.iss !== caller) refuse('the JWT is not a user of your account');
  if (typeof claims.exp !== 'number' || claims.exp > now + MAX_REVOCABLE_LIFETIME_S) {
    throw new NatsterError(Codes.badRequest, 'only expiring session creds (at most 366 days) can be revoked this way; for others, make a new account key');
  }
  if (typeof claims.iat !== 'number' || claims.iat > now + PROOF_WINDOW_S) throw new NatsterError(Codes.badRequest, 'the JWT claims to be issued in the future');
  return claims.iat;
}

/**
 * `users.revoke`: a session of the caller's account revokes its own user JWT
 * (the portal's sign-out). The authority adds the key to the account JWT's
 * revocation list, compare-and-set, and pushes it; the server then refuses
 * the JWT and drops its connections.
 */
export function userRevocationRoute(deps: UserRevocationDeps): Route {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  return route({
    op: AccountsOps.revokeUser,
    request: UserRevokeRequest,
    handle: async (request, ctx): Promise<UserRevokeReply> => {
      const caller = ctx.caller;
      if (!caller) throw new NatsterError(Codes.forbidden, 'requests must come through the natster_accounts import (no caller account)');
      const at = now();
      // never before the JWT's own issue time: a minting clock ahead of ours must not escape the revocation
      const revokedAt = Math.max(at, checkProof(caller, request, at));
      const jwt = await editAccount(
        { store: deps.store, push: async () => undefined },
        async () => {
          const found = await deps.directory.find(caller);
          if (!found) throw new NatsterError(Codes.notFound, `account ${caller} was not signed up with this hub's authority: run \`natster init\``);
          return found;
        },
        (jwt) => resignAccountJwt(jwt, deps.signingSeed, (current) => ({ revocations: revocationsWith(current.revocations, request.user, revokedAt, at) })),
      );
      deps.afterReply(() => deps.push(jwt));
      return { account: caller, user: request.user, revoked_at: revokedAt };
    },
  });
}

const PUSH_RETRY_DELAYS_MS = [1000, 3000, 10_000];

/**
 * A push made after the reply has no caller to report to: retry it, then
 * log loudly. The revocation is already in the authority's record, so the
 * account's next update carries it to the server in any case.
 */
export async function pushWithRetries(push: () => Promise<void>, logger: Logger): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await push();
    } catch (err) {
      const delay = PUSH_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        logger.error('gave up pushing a revocation: the session stays valid until the account is next updated', { error: err });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
