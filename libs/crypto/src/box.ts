/// <reference path="./sodium-native.d.ts" />
import sodium from 'sodium-native';

/** nkeys xkey wire format: `xkv1` + 24-byte nonce + NaCl box (16-byte MAC first). */
export const XKV1 = Uint8Array.from([0x78, 0x6b, 0x76, 0x31]);
export const NONCE_BYTES = 24;
export const MAC_BYTES = 16;
/** Bytes a sealed message adds to its plaintext. */
export const SEAL_OVERHEAD = XKV1.length + NONCE_BYTES + MAC_BYTES;
/** Where the plaintext must sit in a buffer sealed in place by `sealInPlace`. */
export const PLAINTEXT_OFFSET = SEAL_OVERHEAD;

const HEADER = XKV1.length + NONCE_BYTES;

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  sodium.randombytes_buf(out);
  return out;
}

/** Seals `message` from `senderSecret` to `recipient` (raw keys) in the xkv1 wire format. */
export function seal(message: Uint8Array, nonce: Uint8Array, recipient: Uint8Array, senderSecret: Uint8Array): Uint8Array {
  const out = new Uint8Array(SEAL_OVERHEAD + message.length);
  out.set(message, PLAINTEXT_OFFSET);
  return sealInPlace(out, nonce, recipient, senderSecret);
}

/**
 * Seals a buffer whose plaintext already sits at PLAINTEXT_OFFSET (e.g. a
 * file range read straight into it), so a chunk costs one allocation and no
 * copy. libsodium handles the 16-byte overlap of box and plaintext.
 */
export function sealInPlace(buffer: Uint8Array, nonce: Uint8Array, recipient: Uint8Array, senderSecret: Uint8Array): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`nonce must be ${NONCE_BYTES} bytes`);
  buffer.set(XKV1, 0);
  buffer.set(nonce, XKV1.length);
  const plaintext = buffer.subarray(PLAINTEXT_OFFSET);
  sodium.crypto_box_easy(buffer.subarray(HEADER), plaintext, nonce, recipient, senderSecret);
  return buffer;
}

/** The nonce of a sealed message (null if it is not xkv1). */
export function nonceOf(sealed: Uint8Array): Uint8Array | null {
  if (sealed.length < SEAL_OVERHEAD) return null;
  for (let i = 0; i < XKV1.length; i++) if (sealed[i] !== XKV1[i]) return null;
  return sealed.subarray(XKV1.length, HEADER);
}

/**
 * Opens an xkv1 message; null if it is malformed, tampered with, sealed by
 * someone else, or (when `expectedNonce` is given) sealed under another nonce.
 */
export function open(sealed: Uint8Array, sender: Uint8Array, recipientSecret: Uint8Array, expectedNonce?: Uint8Array): Uint8Array | null {
  const nonce = nonceOf(sealed);
  if (!nonce) return null;
  if (expectedNonce && !equalBytes(nonce, expectedNonce)) return null;
  const out = new Uint8Array(sealed.length - SEAL_OVERHEAD);
  return sodium.crypto_box_open_easy(out, sealed.subarray(HEADER), nonce, sender, recipientSecret) ? out : null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
