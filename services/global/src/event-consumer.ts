import { decodeJson, type ConsumerMessages, type JetStreamClient, type JsMsg, type Logger } from '@natster/nats';
import { NatsterEvent } from '@natster/protocol';
import { Names } from './config';

export interface EventConsumerSpec {
  durable: string;
  /** Creates what the handler needs (bucket, consumer); run again after a rebuild deleted them. */
  prepare(): Promise<(event: NatsterEvent, seq: number) => Promise<void>>;
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

const RETRY_MS = 500;
/** Status events after which the consumer (or its stream) must be re-created. */
const GONE = new Set(['consumer_deleted', 'consumer_not_found', 'stream_not_found']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Feeds every event of the log, in order, to a handler through a durable
 * consumer; a failing handler gets the event again (nak), a malformed event
 * is logged and skipped, and a deleted consumer is re-created.
 */
export function runEventConsumer(js: JetStreamClient, spec: EventConsumerSpec, logger: Logger): RunningConsumer {
  const log = logger.child({ consumer: spec.durable });
  let stopped = false;
  let messages: ConsumerMessages | null = null;

  const handleOne = async (handler: (event: NatsterEvent, seq: number) => Promise<void>, msg: JsMsg) => {
    let event: NatsterEvent;
    try {
      event = NatsterEvent.check(decodeJson(msg.data));
    } catch (error) {
      log.error('malformed event in the log; skipped', { subject: msg.subject, seq: msg.seq, error });
      msg.term();
      return;
    }
    try {
      await handler(event, msg.seq);
      msg.ack();
    } catch (error) {
      log.warn('event not applied; will retry', { subject: msg.subject, seq: msg.seq, error });
      msg.nak(RETRY_MS);
    }
  };

  const loop = async () => {
    while (!stopped) {
      try {
        const handler = await spec.prepare();
        const consumer = await js.consumers.get(Names.stream, spec.durable);
        messages = await consumer.consume({ max_messages: 32 });
        const current = messages;
        void (async () => {
          for await (const status of await current.status()) {
            if (GONE.has(status.type)) await current.close();
          }
        })().catch(() => undefined);
        for await (const msg of current) {
          if (stopped) break;
          await handleOne(handler, msg);
        }
      } catch (error) {
        if (!stopped) log.warn('event consumer interrupted; restarting', { error });
      }
      if (!stopped) await sleep(RETRY_MS);
    }
  };
  const done = loop();

  return {
    async stop() {
      stopped = true;
      await messages?.close();
      await done;
    },
  };
}
