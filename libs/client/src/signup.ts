import { signWithSeed, publicKeyOf } from '@natster/claims';
import { SignupNonceReply, SignupReply, subjects } from '@natster/protocol';
import { call, connectNatster } from '@natster/nats';
import { orUnavailable } from './unavailable';

export interface SignupOptions {
  /** Creds of the hub's public bootstrap user (may only request natster.signup). */
  bootstrapCredsPath: string;
  /** nats:// URL of the hub. */
  url: string;
  /** The new account's seed: used here to sign the nonce, never sent. */
  accountSeed: string;
  /** Display name recorded with the account. */
  name?: string;
  timeout?: number;
}

const OFFLINE = 'the hub does not answer signups: its account authority is not running (start it with `natster hub up`)';

/**
 * Signs up an account with the hub's authority: asks for a nonce, proves
 * possession of the account seed by signing it, and receives the account
 * JWT (which the authority has already pushed to the server).
 */
export async function signup(options: SignupOptions): Promise<SignupReply> {
  const account = publicKeyOf(options.accountSeed);
  const nc = await connectNatster({ servers: options.url, credsPath: options.bootstrapCredsPath, name: 'natster-signup', failFast: true });
  try {
    const callOptions = { timeout: options.timeout ?? 5000, offline: OFFLINE };
    const { nonce } = await orUnavailable(call(nc, subjects.signup(), { step: 'nonce', account }, SignupNonceReply, callOptions), OFFLINE);
    const signature = signWithSeed(options.accountSeed, new TextEncoder().encode(nonce));
    const request = { step: 'complete', account, nonce, signature, ...(options.name ? { name: options.name } : {}) };
    return await call(nc, subjects.signup(), request, SignupReply, callOptions);
  } finally {
    await nc.close();
  }
}
