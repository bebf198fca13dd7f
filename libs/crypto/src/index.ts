export * from './xkey';
export * from './box';
export * from './chunk-nonce';
export * from './chunk-box';
