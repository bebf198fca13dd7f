// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./sodium-native.d.ts" />
import sodium from 'sodium-native';
import { Prefix, createCurve, fromCurveSeed, fromPublic } from 'nkeys.js';
// nkeys.js's own encoder (exported by its lib, not its index): the same `X…`/`SX…` text it makes.
import { Codec } from 'nkeys.js/lib/codec.js';

/**
 * A curve25519 (xkey) pair, encoded the nkeys way (`X…` public key, `SX…`
 * seed) so Go and JS nkeys understand it, with the raw bytes sodium needs.
 */
export interface XKeyPair {
  /** `X…` public key, as sent on the wire. */
  readonly publicKey: string;
  /** `SX…` seed (keep secret; never log). */
  readonly seed: Uint8Array;
  /** Raw 32-byte secret scalar. */
  readonly secretKey: Uint8Array;
}

interface CurveInternals {
  seed?: Uint8Array;
  decodePubCurveKey(src: string): Uint8Array;
}

/**
 * Makes a fresh single-use xkey pair (one per transfer and side). The public
 * key comes from sodium: nkeys.js derives it in JavaScript (~0.7 ms, on every
 * transfer's way to its first byte; sodium ~0.03 ms).
 */
export function createXKey(): XKeyPair {
  const secretKey = new Uint8Array(32);
  sodium.randombytes_buf(secretKey);
  const raw = new Uint8Array(32);
  sodium.crypto_scalarmult_base(raw, secretKey);
  return { publicKey: encodeXKey(raw), seed: Codec.encodeSeed(Prefix.Curve, secretKey), secretKey };
}

/** The `X…` text of a raw 32-byte curve25519 public key. */
export function encodeXKey(raw: Uint8Array): string {
  return new TextDecoder().decode(Codec.encode(Prefix.Curve, raw));
}

/** Restores a pair from its `SX…` seed. */
export function fromXKeySeed(seed: Uint8Array): XKeyPair {
  const kp = fromCurveSeed(seed);
  const secretKey = (kp as unknown as CurveInternals).seed;
  if (!secretKey) throw new Error('xkey seed holds no secret');
  return { publicKey: kp.getPublicKey(), seed: kp.getSeed(), secretKey: Uint8Array.from(secretKey) };
}

// nkeys.js decodes curve public keys only through a curve pair; any pair will do.
const decoder = createCurve() as unknown as CurveInternals;

/** Raw 32 bytes of an `X…` public key; throws on a bad key or checksum. */
export function decodeXKey(publicKey: string): Uint8Array {
  fromPublic(publicKey);
  return decoder.decodePubCurveKey(publicKey);
}
