export * from './free-port';
export * from './test-hub';
export * from './connect-verdict';
