import { downloadStream, openDownload } from '@natster/client';
import type { SignedIn } from './current-session';
import { processSingleton } from './process-singleton';
import { reachCatalog } from './reach-catalog';
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

async function learnFacts(signedIn: SignedIn, catalog: string, hash: string): Promise<FileFacts> {
  const { session, nc } = signedIn;
  const known = facts().get(factsKey(session.account, catalog, hash));
  if (known) return known;
  // Unknown file (a pasted link, or any file after a restart): a one-byte transfer tells its size and type.
  // It is cancelled before it is read, so no stream waits on it.
  const cancel = (download: { cancel(): void }) => download.cancel();
  const probe = await reachCatalog(signedIn, catalog, () => openDownload(nc, { catalog, hashOrPath: hash, offset: 0, length: 1 }), cancel);
  cancel(probe);
  const learned = { size: probe.info.file_size, mimeType: probe.info.mime_type };
  rememberFacts(session.account, catalog, hash, learned);
  return learned;
}

/**
 * A catalog file as a RangeSource: each range is its own transfer, decrypted
 * as it arrives, so a seek starts a new small transfer at the new position.
 */
export async function mediaSource(signedIn: SignedIn, catalog: string, hash: string, signal: AbortSignal): Promise<RangeSource> {
  const { size, mimeType } = await learnFacts(signedIn, catalog, hash);
  return {
    size,
    mimeType,
    async open(offset, length) {
      const { info, stream } = await reachCatalog(
        signedIn,
        catalog,
        () => downloadStream(signedIn.nc, { catalog, hashOrPath: hash, offset, length, signal }),
        (late) => void late.stream.cancel(),
      );
      rememberFacts(signedIn.session.account, catalog, hash, { size: info.file_size, mimeType: info.mime_type });
      return stream;
    },
  };
}
