import { setTimeout as sleep } from 'node:timers/promises';
import { ChunkerStartReply, ChunkerStop, Codes, NatsterError, subjects, type ChunkerStartRequest } from '@natster/protocol';
import { call, encodeJson, type NatsConnection } from '@natster/nats';

/**
 * Pauses before asking again when no chunker has the catalog's current content (1.55 s in all).
 * Right after a rescan the server's content id changes before the chunkers of
 * this host have re-read the saved catalog (fs.watch: a few ms; their poll: 1 s).
 * Only this cold path waits: a start with a chunker ready is one request, as before.
 */
const NO_CHUNKER_RETRY_MS = [50, 100, 200, 400, 800];

/**
 * For the catalog server: asks a chunker serving this catalog with content `content`
 * (queue group `chunkers` on `chunkerStart(catalog, content)`) to start an authorized transfer.
 */
export async function startTransfer(nc: NatsConnection, content: string, request: ChunkerStartRequest): Promise<ChunkerStartReply> {
  const subject = subjects.chunkerStart(request.catalog, content);
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(nc, subject, request, ChunkerStartReply, { timeout: 3_000 });
    } catch (error) {
      // Same account, so "no responders" is immediate: `call`'s 503 caused by the client's own 503 (not a chunker's envelope).
      const noResponders = error instanceof NatsterError && (error.cause as { code?: unknown } | undefined)?.code === '503';
      const retry = NO_CHUNKER_RETRY_MS[attempt];
      if (!noResponders) throw error;
      if (retry === undefined) {
        throw new NatsterError(
          Codes.unavailable,
          `no chunker has catalog ${request.catalog} as it is now (content ${content.slice(0, 8)}): the owner must run one where its folder is (\`natster catalog serve ${request.catalog}\`, or \`natster chunker --catalog ${request.catalog}\`); a chunker on another host needs a current copy of the catalog (\`natster context export\` here, \`natster context import\` there)`,
          { cause: error },
        );
      }
      await sleep(retry);
    }
  }
}

/** For the catalog server: every chunker ends the matching transfers at once and tells the receivers why. */
export function stopTransfers(nc: NatsConnection, stop: ChunkerStop): void {
  nc.publish(subjects.chunker('stop'), encodeJson(ChunkerStop.check(stop)));
}
