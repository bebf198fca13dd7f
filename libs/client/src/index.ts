export * from './signup';
export * from './invite-line';
export * from './accounts';
export * from './catalog';
export * from './global';
export * from './download/index';
export * from './user-revocation';
