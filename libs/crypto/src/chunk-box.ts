import { createHash } from 'node:crypto';
import { open, openInPlace, sealInPlace } from './box';
import { TRANSFER_SALT_BYTES, chunkNonce } from './seal-core';

/** The salt both sides derive from the transfer id, so no extra field crosses the wire. */
export function transferSalt(transferId: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(transferId).digest().subarray(0, TRANSFER_SALT_BYTES));
}

/** Raw keys of one side of a transfer: its own secret and the peer's public key. */
export interface TransferKeys {
  transferId: string;
  /** The peer's raw public key. */
  peer: Uint8Array;
  /** This side's raw secret key. */
  secret: Uint8Array;
}

/** Seals chunk `index` of a transfer in place (plaintext at PLAINTEXT_OFFSET). */
export function sealChunk(keys: TransferKeys, index: number, buffer: Uint8Array, salt = transferSalt(keys.transferId)): Uint8Array {
  return sealInPlace(buffer, chunkNonce(salt, index), keys.peer, keys.secret);
}

/** Opens chunk `index`; null if it was tampered with, belongs to another index or another transfer. */
export function openChunk(keys: TransferKeys, index: number, sealed: Uint8Array, salt = transferSalt(keys.transferId)): Uint8Array | null {
  return open(sealed, keys.peer, keys.secret, chunkNonce(salt, index));
}

/** openChunk without an allocation: decrypts inside `sealed` (which it owns) and returns a view. */
export function openChunkInPlace(keys: TransferKeys, index: number, sealed: Uint8Array, salt = transferSalt(keys.transferId)): Uint8Array | null {
  return openInPlace(sealed, keys.peer, keys.secret, chunkNonce(salt, index));
}
