import { NONCE_BYTES, randomBytes } from './box';

/** Random bytes that identify one transfer inside every chunk nonce. */
export const TRANSFER_SALT_BYTES = 16;

export function newTransferSalt(): Uint8Array {
  return randomBytes(TRANSFER_SALT_BYTES);
}

/**
 * The nonce of chunk `index` of a transfer: 16 salt bytes + the index as a
 * big-endian u64. A chunk replayed from another transfer or moved to another
 * index opens under a different nonce and fails, and no nonce ever repeats
 * under one key pair.
 */
export function chunkNonce(salt: Uint8Array, index: number): Uint8Array {
  if (salt.length !== TRANSFER_SALT_BYTES) throw new RangeError(`transfer salt must be ${TRANSFER_SALT_BYTES} bytes`);
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`invalid chunk index ${index}`);
  const nonce = new Uint8Array(NONCE_BYTES);
  nonce.set(salt, 0);
  new DataView(nonce.buffer).setBigUint64(TRANSFER_SALT_BYTES, BigInt(index), false);
  return nonce;
}
