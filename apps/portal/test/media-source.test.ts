import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogClient } from '@natster/client';
import { createCatalog } from '@natster/catalog';
import { HubAccounts } from '@natster/hub';
import { createLogger } from '@natster/nats';
import { startGlobal, type GlobalHandle } from '@natster/global';
import { startTestHub, type TestHub } from '@natster/testing';
import type { SignedIn } from '../src/server/current-session';
import { filesPage } from '../src/server/catalog-data';
import { mediaSource } from '../src/server/media-source';
import { UnreachableError } from '../src/server/unreachable';
import type { Session } from '../src/server/session-store';
import { serveCatalog, type ServedCatalog } from './serve-catalog';

/** Far above a normal answer (tens of ms), far below "forever". */
const ANSWERS_WITHIN_MS = 8_000;
const within = <T>(promise: Promise<T>, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not finish within ${ANSWERS_WITHIN_MS} ms`)), ANSWERS_WITHIN_MS))]);

/**
 * The media route's source against a real hub, catalog server and chunker:
 * the owner opening their own catalog uses the same subjects as a friend.
 */
describe('media links opened directly (no listing seen first)', () => {
  let th: TestHub;
  let global: GlobalHandle;
  let served: ServedCatalog;
  let signedIn: SignedIn;
  let hash: string;

  beforeAll(async () => {
    th = await startTestHub({ demoCatalog: null });
    global = await startGlobal({
      nc: await th.connectAs(HubAccounts.global),
      portalUrl: 'http://127.0.0.1:1',
      portalAccount: th.hub.info.accounts.PORTAL,
      authorityAccount: th.hub.info.accounts.AUTHORITY,
      dataKey: randomBytes(32),
      logger: createLogger('global', { level: 'error' }),
    });
    const owner = await th.createUser('owner');
    const nc = await owner.connect();
    const root = join(th.dir, 'media');
    await mkdir(root);
    await writeFile(join(root, 'clip.mp4'), randomBytes(300_000));
    await createCatalog(join(th.dir, 'catalogs'), { name: 'films', description: '', root });
    served = await serveCatalog({ nc, chunkerNc: await owner.connect('owner-chunker'), account: owner.account, dir: join(th.dir, 'catalogs'), name: 'films' });
    // the hash only: a fresh portal process has never listed this catalog
    hash = (await new CatalogClient(nc).list('films')).entries[0]!.hash;
    signedIn = { nc, session: { account: owner.account } as Session };
  }, 60_000);

  afterAll(async () => {
    await served?.stop().catch(() => {}); // the last test stops it already
    await global?.stop().catch(() => {});
    await th?.stop();
  });

  it('learns the size and type of a file it has never listed, instead of hanging', async () => {
    const source = await within(mediaSource(signedIn, 'films', hash, new AbortController().signal), 'the size probe');
    expect(source.size).toBe(300_000);
    expect(source.mimeType).toBe('video/mp4');
  });

  it('a response the browser drops before its first byte (a seek) ends its transfer', async () => {
    const source = await mediaSource(signedIn, 'films', hash, new AbortController().signal);
    const reader = (await source.open(1000, 200_000)).getReader();
    // the stream is waiting for its first chunk (no chunk can have arrived yet): cancelling must not wait on it forever
    const first = reader.read();
    await within(reader.cancel(), 'cancelling the stream');
    expect(await first).toEqual({ done: true, value: undefined });
  });

  it('with the global service down too, a silent catalog reads as the hub not answering, not as "catalog offline"', async () => {
    await served.stop();
    await global.stop();
    const failure = await filesPage(signedIn, 'films', '', null).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect((failure as UnreachableError).reason).toBe('global_down');
    expect((failure as UnreachableError).message).toMatch(/global service is not answering.*natster hub status/);
  });
});
