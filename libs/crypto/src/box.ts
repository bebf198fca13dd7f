// Packages compile this file from source, so they need the module declaration it brings.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./sodium-native.d.ts" />
import sodium from 'sodium-native';
import { NONCE_BYTES, PLAINTEXT_OFFSET, SEAL_OVERHEAD, XKV1, sealInPlace } from './seal-core';

export { MAC_BYTES, NONCE_BYTES, PLAINTEXT_OFFSET, SEAL_OVERHEAD, XKV1, sealInPlace } from './seal-core';

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

/**
 * Opens, in its own buffer (no allocation), an xkv1 message sealed with a
 * precomputed box key (`boxKey`): returns the plaintext as a view of
 * `sealed`, or null (then `sealed` is unchanged).
 */
export function openInPlace(sealed: Uint8Array, key: Uint8Array, expectedNonce: Uint8Array): Uint8Array | null {
  const nonce = nonceOf(sealed);
  if (!nonce || !equalBytes(nonce, expectedNonce)) return null;
  const plain = sealed.subarray(PLAINTEXT_OFFSET);
  return sodium.crypto_secretbox_open_easy(plain, sealed.subarray(HEADER), Uint8Array.from(nonce), key) ? plain : null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
