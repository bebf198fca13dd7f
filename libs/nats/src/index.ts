export * from './connect';
export * from './reconnects';
export * from './logger';
export * from './service';
export * from './request';
export * from './json';
export type { NatsConnection, Msg, Subscription, KV, JetStreamClient, JetStreamManager, MsgHdrs } from 'nats';
export { headers, createInbox, nuid, StringCodec, JSONCodec, AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, DiscardPolicy, Events, DebugEvents } from 'nats';
export type { JsMsg, KvEntry, ConsumerMessages, QueuedIterator } from 'nats';
