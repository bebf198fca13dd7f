import { createCurve, fromCurveSeed, fromPublic } from 'nkeys.js';

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

/** Makes a fresh single-use xkey pair (one per transfer and side). */
export function createXKey(): XKeyPair {
  return fromXKeySeed(createCurve().getSeed());
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
