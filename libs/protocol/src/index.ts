export * from './subjects';
export * from './envelope';
export * from './validate';
export * from './common';
export * from './accounts';
export * from './events';
