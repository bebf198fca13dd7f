export * from './signup';
export * from './accounts';
export * from './catalog';
export * from './global';
export * from './download/index';
export * from './user-revocation';
