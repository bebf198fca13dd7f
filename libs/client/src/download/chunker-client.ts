import { ChunkerStartReply, ChunkerStop, subjects, type ChunkerStartRequest } from '@natster/protocol';
import { call, encodeJson, type NatsConnection } from '@natster/nats';

/** For the catalog server: asks a chunker serving this catalog (queue group) to start an authorized transfer. */
export function startTransfer(nc: NatsConnection, request: ChunkerStartRequest): Promise<ChunkerStartReply> {
  return call(nc, subjects.chunkerStart(request.catalog), request, ChunkerStartReply, {
    timeout: 3_000,
    offline: `no chunker is running for catalog ${request.catalog}; the owner must start one where its folder is (\`natster chunker --catalog ${request.catalog}\`, or \`natster catalog serve ${request.catalog}\`)`,
  });
}

/** For the catalog server: every chunker ends the matching transfers at once and tells the receivers why. */
export function stopTransfers(nc: NatsConnection, stop: ChunkerStop): void {
  nc.publish(subjects.chunker('stop'), encodeJson(ChunkerStop.check(stop)));
}
