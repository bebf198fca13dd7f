// Plain JavaScript on purpose: piscina workers load it without a TypeScript
// loader (each loader thread would cost a worker ~30 MB). Types: seal-core.d.ts.
import sodium from 'sodium-native';

export const XKV1 = Uint8Array.from([0x78, 0x6b, 0x76, 0x31]);
export const NONCE_BYTES = 24;
export const MAC_BYTES = 16;
export const SEAL_OVERHEAD = XKV1.length + NONCE_BYTES + MAC_BYTES;
export const PLAINTEXT_OFFSET = SEAL_OVERHEAD;
export const TRANSFER_SALT_BYTES = 16;

const HEADER = XKV1.length + NONCE_BYTES;

export function sealInPlace(buffer, nonce, recipient, senderSecret) {
  writeHeader(buffer, nonce);
  sodium.crypto_box_easy(buffer.subarray(HEADER), buffer.subarray(PLAINTEXT_OFFSET), nonce, recipient, senderSecret);
  return buffer;
}

function writeHeader(buffer, nonce) {
  if (nonce.length !== NONCE_BYTES) throw new RangeError(`nonce must be ${NONCE_BYTES} bytes`);
  buffer.set(XKV1, 0);
  buffer.set(nonce, XKV1.length);
}

export function chunkNonce(salt, index) {
  if (salt.length !== TRANSFER_SALT_BYTES) throw new RangeError(`transfer salt must be ${TRANSFER_SALT_BYTES} bytes`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`invalid chunk index ${index}`);
  const nonce = new Uint8Array(NONCE_BYTES);
  nonce.set(salt, 0);
  new DataView(nonce.buffer).setBigUint64(TRANSFER_SALT_BYTES, BigInt(index), false);
  return nonce;
}

export function sealChunkInPlace(buffer, salt, index, key) {
  const nonce = chunkNonce(salt, index);
  writeHeader(buffer, nonce);
  sodium.crypto_secretbox_easy(buffer.subarray(HEADER), buffer.subarray(PLAINTEXT_OFFSET), nonce, key);
  return buffer;
}
