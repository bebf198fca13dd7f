import { NONCE_BYTES, createXKey, decodeXKey, randomBytes, seal } from '@natster/crypto';
import { Codes, NatsterError, SealedSignupReply } from '@natster/protocol';

/**
 * Seals a signup reply to the requester's single-use xkey, from a single-use
 * sender xkey. Anyone else holding the public bootstrap creds who sees the
 * reply on the wire learns nothing from it.
 */
export function sealReply(reply: unknown, replyXKey: string): SealedSignupReply {
  let recipient: Uint8Array;
  try {
    recipient = decodeXKey(replyXKey);
  } catch {
    throw new NatsterError(Codes.badRequest, 'reply_xkey is not a valid xkey public key: make a new single-use xkey for each signup request');
  }
  const sender = createXKey();
  const box = seal(new TextEncoder().encode(JSON.stringify(reply)), randomBytes(NONCE_BYTES), recipient, sender.secretKey);
  sender.secretKey.fill(0);
  return { sender_xkey: sender.publicKey, box: Buffer.from(box).toString('base64') };
}
