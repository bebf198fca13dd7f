import { signWithSeed, publicKeyOf } from '@natster/claims';
import { createXKey, decodeXKey, open, type XKeyPair } from '@natster/crypto';
import { Codes, NatsterError, SealedSignupReply, SignupNonceReply, SignupReply, subjects } from '@natster/protocol';
import { call, connectNatster, type NatsConnection } from '@natster/nats';
import { orUnavailable } from './unavailable';

/** Creds of the hub's public bootstrap user (may only request natster.signup): a file, or the text an invite line carries. */
export type BootstrapCreds = { bootstrapCredsPath: string } | { bootstrapCreds: string };

export type SignupOptions = BootstrapCreds & {
  /** nats:// or tls:// URL(s) of the hub. */
  url: string | string[];
  /** PEM file of the hub's own CA (from an invite): the hub's certificate must chain to it. */
  caFile?: string;
  /** The new account's seed: used here to sign the nonce, never sent. */
  accountSeed: string;
  /** Display name recorded (sealed) with the account's first event. */
  name?: string;
  /** The invite code of an invite line: an invite-only hub creates no account without one. */
  invite?: string;
  timeout?: number;
};

const OFFLINE = 'the hub does not answer signups: its account authority is not running (start it with `natster hub up`)';

/** The validator of the reply inside the seal (SignupNonceReply, SignupReply). */
interface ReplySchema<T> {
  decode(bytes: Uint8Array): T;
}

/** Opens a reply the authority sealed to our single-use xkey; anything else is refused. */
function openSealed<T>(sealed: SealedSignupReply, key: XKeyPair, schema: ReplySchema<T>): T {
  const plain = open(Buffer.from(sealed.box, 'base64'), decodeXKey(sealed.sender_xkey), key.secretKey);
  if (!plain) throw new NatsterError(Codes.internal, 'the signup reply was not sealed to this request: is this the hub you meant?');
  return schema.decode(plain);
}

/** One signup step: the request names a fresh xkey, and only its holder can read the reply. */
async function sealedCall<T>(nc: NatsConnection, body: Record<string, unknown>, schema: ReplySchema<T>, timeout: number): Promise<T> {
  const key = createXKey();
  try {
    const sealed = await orUnavailable(call(nc, subjects.signup(), { ...body, reply_xkey: key.publicKey }, SealedSignupReply, { timeout, offline: OFFLINE }), OFFLINE);
    return openSealed(sealed, key, schema);
  } finally {
    key.secretKey.fill(0);
  }
}

/**
 * Signs up an account with the hub's authority: asks for a nonce, proves
 * possession of the account seed by signing it, and receives the account
 * JWT (which the authority has already pushed to the server). Every other
 * holder of the public bootstrap creds may see the replies go by, so each is
 * sealed to a single-use xkey of this call.
 */
export async function signup(options: SignupOptions): Promise<SignupReply> {
  const account = publicKeyOf(options.accountSeed);
  const nc = await connectNatster({
    servers: options.url,
    ...('bootstrapCreds' in options ? { creds: options.bootstrapCreds } : { credsPath: options.bootstrapCredsPath }),
    ...(options.caFile ? { caFile: options.caFile } : {}),
    name: 'natster-signup',
    failFast: true,
  });
  try {
    const timeout = options.timeout ?? 5000;
    const { nonce } = await sealedCall(nc, { step: 'nonce', account }, SignupNonceReply, timeout);
    const signature = signWithSeed(options.accountSeed, new TextEncoder().encode(nonce));
    const request = { step: 'complete', account, nonce, signature, ...(options.name ? { name: options.name } : {}), ...(options.invite ? { invite: options.invite } : {}) };
    return await sealedCall(nc, request, SignupReply, timeout);
  } finally {
    await nc.close();
  }
}
