export * from './xkey';
export * from './box';
export { TRANSFER_SALT_BYTES, chunkNonce, sealChunkInPlace } from './seal-core';
export * from './chunk-box';
export { boxKey } from './box-key';
