import { Type, type Static } from '@sinclair/typebox';
import { fromPublic } from 'nkeys.js';
import { Codes, NatsterError, SignupCompleteRequest, SignupNonceRequest, message, type SealedSignupReply, type SignupReply } from '@natster/protocol';
import { route, type Route } from '@natster/nats';
import type { AccountLimits } from '@natster/claims';
import type { ClaimsSigner } from './account-claims';
import { repairAccount } from './account-editor';
import type { EventReporter } from './signup-events';
import type { InviteClaims } from './invites/invite-code';
import type { InviteGate } from './invites/invite-gate';
import type { NonceIssuer } from './nonce';
import { sealReply } from './sealed-reply';
import type { SignupRate } from './signup-rate';
import type { AccountStore } from './store';

type CompleteRequest = Static<typeof SignupCompleteRequest.schema>;

/** Both signup steps share one subject; the step field says which schema applies. */
const SignupStep = message(Type.Object({ step: Type.Union([Type.Literal('nonce'), Type.Literal('complete')]) }), 'signup request');

/**
 * The name inside every user account JWT. Account JWTs are public to anyone
 * who can look them up, so the person's display name never goes there; it
 * travels sealed, in the global service's event log only.
 */
export const USER_ACCOUNT_JWT_NAME = 'natster user';

export interface SignupDeps {
  nonces: NonceIssuer;
  signer: ClaimsSigner;
  store: AccountStore;
  push(jwt: string): Promise<void>;
  events: EventReporter;
  rate: SignupRate;
  invites: InviteGate;
  /** Connection and subscription caps of a new user account (hub.json `account_limits.user`). */
  limits: AccountLimits;
}

function verifySignature(account: string, nonce: string, signature: string): void {
  let valid: boolean;
  try {
    valid = fromPublic(account).verify(new TextEncoder().encode(nonce), Buffer.from(signature, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) throw new NatsterError(Codes.forbidden, 'signup refused: the signature does not prove possession of the account seed');
}

export function signupRoute(deps: SignupDeps): Route {
  const complete = async (request: CompleteRequest, invite: InviteClaims | null): Promise<SignupReply> => {
    const { account } = request;
    const existing = await deps.store.get(account);
    if (existing) {
      // Idempotent: the stored JWT (with every import since) wins, its lost standard imports restored (the
      // repair path that needs no `natster.accounts` import); pushing again heals a server that lost it.
      const { jwt, repaired } = await repairAccount(deps, async () => (await deps.store.get(account)) ?? existing);
      return { account, jwt, created: false, repaired };
    }
    if (invite) await deps.invites.use(invite, account);
    const jwt = await deps.signer.signup(account, USER_ACCOUNT_JWT_NAME, deps.limits);
    const now = new Date().toISOString();
    // lost the race to create this very account: the winner's record is returned (the invite use stays spent)
    if (!(await deps.store.create({ account, jwt, created_at: now, updated_at: now }))) return complete(request, null);
    await deps.push(jwt);
    deps.events.signedUp(account, request.name);
    return { account, jwt, created: true };
  };

  return route({
    op: 'signup',
    request: SignupStep,
    handle: async (body, ctx): Promise<SealedSignupReply> => {
      if (ctx.caller !== null) throw new NatsterError(Codes.badRequest, 'signup is not a per-account operation');
      if (body.step === 'nonce') {
        const { account, reply_xkey } = SignupNonceRequest.check(body);
        return sealReply({ nonce: deps.nonces.issue(account) }, reply_xkey);
      }
      const request = SignupCompleteRequest.check(body);
      deps.nonces.verify(request.account, request.nonce);
      verifySignature(request.account, request.nonce, request.signature);
      // an existing account re-signs up to repair itself: it needs no invite, and creates nothing
      const invite = (await deps.store.get(request.account)) ? null : await deps.invites.check(request.invite);
      // counted only once the seed and the invite are proven, so refused junk does not use up real people's signups
      deps.rate.admit(ctx.headers);
      return sealReply(await complete(request, invite), request.reply_xkey);
    },
  });
}
