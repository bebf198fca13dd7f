export * from './layout';
export * from './hub-info';
export * from './init-hub';
export * from './server-config';
export * from './nats-server';
export * from './push-claims';
export * from './secret-files';
