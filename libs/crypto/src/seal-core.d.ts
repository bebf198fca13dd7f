/** nkeys xkey wire format: `xkv1` + 24-byte nonce + NaCl box (16-byte MAC first). */
export declare const XKV1: Uint8Array;
export declare const NONCE_BYTES: number;
export declare const MAC_BYTES: number;
/** Bytes a sealed message adds to its plaintext. */
export declare const SEAL_OVERHEAD: number;
/** Where the plaintext must sit in a buffer sealed in place. */
export declare const PLAINTEXT_OFFSET: number;
/** Random bytes that identify one transfer inside every chunk nonce. */
export declare const TRANSFER_SALT_BYTES: number;

/**
 * Seals a buffer whose plaintext already sits at PLAINTEXT_OFFSET (e.g. a
 * file range read straight into it): one allocation per chunk and no copy.
 * libsodium handles the 16-byte overlap of box and plaintext.
 */
export declare function sealInPlace(buffer: Uint8Array, nonce: Uint8Array, recipient: Uint8Array, senderSecret: Uint8Array): Uint8Array;

/**
 * The nonce of chunk `index` of a transfer: 16 salt bytes + the index as a
 * big-endian u64. A chunk replayed from another transfer or moved to another
 * index opens under a different nonce and fails, and no nonce ever repeats
 * under one key pair.
 */
export declare function chunkNonce(salt: Uint8Array, index: number): Uint8Array;

/**
 * Seals chunk `index` in place under the nonce of that index, with the
 * transfer's precomputed box key (`boxKey`): the same xkv1 bytes sealInPlace
 * makes, without an X25519 multiplication per chunk.
 */
export declare function sealChunkInPlace(buffer: Uint8Array, salt: Uint8Array, index: number, key: Uint8Array): Uint8Array;
