import type { JetStreamClient, NatsConnection } from '@natster/nats';
import type { GlobalConfig } from '../config';
import { runEventConsumer, type RunningConsumer } from '../event-consumer';
import { ensureSerialConsumer, openBucket } from '../jetstream';
import type { Projector } from './projectors';

/** Runs one projector: its bucket and durable consumer are (re)created as needed. */
export function runProjector(
  js: JetStreamClient,
  nc: NatsConnection,
  projector: Projector,
  config: Pick<GlobalConfig, 'replicas' | 'logger'>,
): RunningConsumer {
  return runEventConsumer(
    js,
    {
      durable: projector.durable,
      prepare: async () => {
        const kv = await openBucket(js, projector.bucket, { replicas: config.replicas });
        await ensureSerialConsumer(await nc.jetstreamManager(), projector.durable, 'all');
        return (event, seq) => projector.apply(kv, event, seq);
      },
    },
    config.logger,
  );
}
