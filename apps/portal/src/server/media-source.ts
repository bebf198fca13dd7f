import { downloadStream } from '@natster/client';
import type { NatsConnection } from '@natster/nats';
import type { Session } from './session-store';
import { processSingleton } from './process-singleton';
import type { RangeSource } from './range-response';

export interface FileFacts {
  size: number;
  mimeType: string;
}

const MAX_FACTS = 10_000;

/** Size and type of files a session has seen, so a Range request needs no extra round trip. */
const facts = () => processSingleton('file-facts', () => new Map<string, FileFacts>());
const factsKey = (account: string, catalog: string, hash: string) => `${account}/${catalog}/${hash}`;

export function rememberFacts(account: string, catalog: string, hash: string, value: FileFacts): void {
  const map = facts();
  if (map.size >= MAX_FACTS) map.delete(map.keys().next().value as string);
  map.set(factsKey(account, catalog, hash), value);
}

async function learnFacts(nc: NatsConnection, session: Session, catalog: string, hash: string): Promise<FileFacts> {
  const known = facts().get(factsKey(session.account, catalog, hash));
  if (known) return known;
  // Unknown file (e.g. a pasted link): a one-byte transfer tells us its size and type.
  const probe = await downloadStream(nc, { catalog, hashOrPath: hash, offset: 0, length: 1 });
  await probe.stream.cancel();
  const learned = { size: probe.info.file_size, mimeType: probe.info.mime_type };
  rememberFacts(session.account, catalog, hash, learned);
  return learned;
}

/**
 * A catalog file as a RangeSource: each range is its own transfer, decrypted
 * as it arrives, so a seek starts a new small transfer at the new position.
 */
export async function mediaSource(nc: NatsConnection, session: Session, catalog: string, hash: string, signal: AbortSignal): Promise<RangeSource> {
  const { size, mimeType } = await learnFacts(nc, session, catalog, hash);
  return {
    size,
    mimeType,
    async open(offset, length) {
      const { info, stream } = await downloadStream(nc, { catalog, hashOrPath: hash, offset, length, signal });
      rememberFacts(session.account, catalog, hash, { size: info.file_size, mimeType: info.mime_type });
      return stream;
    },
  };
}
