import { Type } from '@sinclair/typebox';
import { fromPublic } from 'nkeys.js';
import { Codes, NatsterError, SignupCompleteRequest, SignupNonceRequest, message, type SignupReply } from '@natster/protocol';
import { route, type Route } from '@natster/nats';
import type { ClaimsSigner } from './account-claims';
import type { EventReporter } from './signup-events';
import type { NonceIssuer } from './nonce';
import type { AccountStore } from './store';

/** Both signup steps share one subject; the step field says which schema applies. */
const SignupStep = message(Type.Object({ step: Type.Union([Type.Literal('nonce'), Type.Literal('complete')]) }), 'signup request');

export interface SignupDeps {
  nonces: NonceIssuer;
  signer: ClaimsSigner;
  store: AccountStore;
  push(jwt: string): Promise<void>;
  events: EventReporter;
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
  const complete = async (body: unknown): Promise<SignupReply> => {
    const request = SignupCompleteRequest.check(body);
    const { account } = request;
    deps.nonces.verify(account, request.nonce);
    verifySignature(account, request.nonce, request.signature);

    const existing = await deps.store.get(account);
    if (existing) {
      // Idempotent: the stored JWT (with every import since) wins; pushing again heals a server that lost it.
      await deps.push(existing.record.jwt);
      return { account, jwt: existing.record.jwt, created: false };
    }
    const jwt = await deps.signer.signup(account, request.name ?? 'natster user');
    const now = new Date().toISOString();
    const created = await deps.store.create({ account, jwt, ...(request.name ? { name: request.name } : {}), created_at: now, updated_at: now });
    if (!created) return complete(body);
    await deps.push(jwt);
    deps.events.signedUp(account, request.name);
    return { account, jwt, created: true };
  };

  return route({
    op: 'signup',
    request: SignupStep,
    handle: async (body, ctx): Promise<SignupReply | { nonce: string }> => {
      if (ctx.caller !== null) throw new NatsterError(Codes.badRequest, 'signup is not a per-account operation');
      if (body.step === 'nonce') {
        const { account } = SignupNonceRequest.check(body);
        return { nonce: deps.nonces.issue(account) };
      }
      return complete(body);
    },
  });
}
