// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./sodium-native.d.ts" />
import sodium from 'sodium-native';

/** "expand 32-byte k" as four little-endian words. */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574];

const rotl = (v: number, n: number): number => (v << n) | (v >>> (32 - n));

function readWords(bytes: Uint8Array, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: count }, (_, i) => view.getUint32(i * 4, true));
}

/** HSalsa20(key, 16-byte input): the core NaCl uses to turn an X25519 point into a box key. */
function hsalsa20(key: Uint8Array, input: Uint8Array): Uint8Array {
  const k = readWords(key, 8);
  const n = readWords(input, 4);
  const x = [SIGMA[0]!, k[0]!, k[1]!, k[2]!, k[3]!, SIGMA[1]!, n[0]!, n[1]!, n[2]!, n[3]!, SIGMA[2]!, k[4]!, k[5]!, k[6]!, k[7]!, SIGMA[3]!];
  const quarter = (a: number, b: number, c: number, d: number): void => {
    x[b]! ^= rotl((x[a]! + x[d]!) | 0, 7);
    x[c]! ^= rotl((x[b]! + x[a]!) | 0, 9);
    x[d]! ^= rotl((x[c]! + x[b]!) | 0, 13);
    x[a]! ^= rotl((x[d]! + x[c]!) | 0, 18);
  };
  for (let round = 0; round < 20; round += 2) {
    quarter(0, 4, 8, 12);
    quarter(5, 9, 13, 1);
    quarter(10, 14, 2, 6);
    quarter(15, 3, 7, 11);
    quarter(0, 1, 2, 3);
    quarter(5, 6, 7, 4);
    quarter(10, 11, 8, 9);
    quarter(15, 12, 13, 14);
  }
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  [0, 5, 10, 15, 6, 7, 8, 9].forEach((word, i) => view.setUint32(i * 4, x[word]! >>> 0, true));
  return out;
}

/**
 * The key a NaCl box between `secret` and `peer` uses (crypto_box_beforenm:
 * X25519, then HSalsa20). A transfer computes it once, so each chunk is a
 * plain secretbox instead of a box that repeats the X25519 multiplication.
 * Throws for a low-order peer key, as crypto_box does.
 */
export function boxKey(peer: Uint8Array, secret: Uint8Array): Uint8Array {
  const shared = new Uint8Array(32);
  try {
    sodium.crypto_scalarmult(shared, secret, peer);
  } catch {
    throw new Error('the peer xkey is not usable for a box (low-order point)');
  }
  const key = hsalsa20(shared, new Uint8Array(16));
  sodium.sodium_memzero(shared);
  return key;
}
