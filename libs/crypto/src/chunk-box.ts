import { createHash } from 'node:crypto';
import { openInPlace } from './box';
import { boxKey } from './box-key';
import { TRANSFER_SALT_BYTES, chunkNonce, sealChunkInPlace } from './seal-core';

/** The salt both sides derive from the transfer id, so no extra field crosses the wire. */
export function transferSalt(transferId: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(transferId).digest().subarray(0, TRANSFER_SALT_BYTES));
}

/** What one side of a transfer seals or opens chunks with. */
export interface TransferKeys {
  transferId: string;
  /** The box key of this side's secret and the peer's public key; zero it when the transfer ends. */
  key: Uint8Array;
}

/**
 * Keys for one transfer from this side's single-use secret and the peer's
 * raw public key. The box key is computed once here, so no chunk pays an
 * X25519 multiplication; the caller may wipe `secret` afterwards.
 */
export function transferKeys(transferId: string, peer: Uint8Array, secret: Uint8Array): TransferKeys {
  return { transferId, key: boxKey(peer, secret) };
}

/** Seals chunk `index` of a transfer in place (plaintext at PLAINTEXT_OFFSET). */
export function sealChunk(keys: TransferKeys, index: number, buffer: Uint8Array, salt = transferSalt(keys.transferId)): Uint8Array {
  return sealChunkInPlace(buffer, salt, index, keys.key);
}

/** Opens chunk `index` into a new buffer; null if it was tampered with, belongs to another index or another transfer. */
export function openChunk(keys: TransferKeys, index: number, sealed: Uint8Array, salt = transferSalt(keys.transferId)): Uint8Array | null {
  return openChunkInPlace(keys, index, Uint8Array.from(sealed), salt);
}

/** openChunk without an allocation: decrypts inside `sealed` (which it owns) and returns a view. */
export function openChunkInPlace(keys: TransferKeys, index: number, sealed: Uint8Array, salt = transferSalt(keys.transferId)): Uint8Array | null {
  return openInPlace(sealed, keys.key, chunkNonce(salt, index));
}
