import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogGetRequest, Codes, NatsterError, fail, ok, subjects, type CatalogEntry, type CatalogPage } from '@natster/protocol';
import { encodeJson, type NatsConnection } from '@natster/nats';
import { startTestHub, type TestHub } from '@natster/testing';
import { CatalogClient, catalogOffline } from '../src/index';

const entries: CatalogEntry[] = Array.from({ length: 25 }, (_, i) => ({
  path: `file-${String(i).padStart(2, '0')}.txt`,
  hash: i.toString(16).padStart(64, '0'),
  size: i,
  mtime_ms: 1_700_000_000_000,
  mime_type: 'text/plain',
}));

/** A catalog server's `get` as docs/protocol.md specifies it: path order, an opaque cursor, `limit`, `search`. */
function serveListing(nc: NatsConnection, catalog: string): void {
  nc.subscribe(subjects.catalog(catalog, 'get'), {
    callback: (_e, msg) => {
      let body;
      try {
        body = CatalogGetRequest.decode(msg.data);
      } catch (error) {
        return void msg.respond(encodeJson(fail(Codes.badRequest, (error as Error).message)));
      }
      const matching = entries.filter((e) => !body.search || e.path.includes(body.search));
      const start = body.cursor ? Number(Buffer.from(body.cursor, 'base64url').toString()) : 0;
      const page = matching.slice(start, start + (body.limit ?? 10));
      const end = start + page.length;
      const reply: CatalogPage = {
        catalog,
        description: 'test listing',
        revision: 3,
        total: matching.length,
        entries: page,
        next_cursor: end < matching.length ? Buffer.from(String(end)).toString('base64url') : null,
      };
      msg.respond(encodeJson(ok(reply)));
    },
  });
}

describe('CatalogClient against a real nats-server', () => {
  let th: TestHub;
  let nc: NatsConnection;
  beforeAll(async () => {
    th = await startTestHub();
    nc = await th.connectAs('HUB', 'catalog-client');
    serveListing(await th.connectAs('HUB', 'listing-server'), 'films');
  });
  afterAll(async () => th?.stop());

  it('lists a whole catalog by following next_cursor, in order', async () => {
    const client = new CatalogClient(nc);
    const listing = await client.list('films', { limit: 10 });
    expect(listing.entries.map((e) => e.path)).toEqual(entries.map((e) => e.path));
    expect(listing).toMatchObject({ catalog: 'films', description: 'test listing', revision: 3, total: 25 });
    let pages = 0;
    for await (const _ of client.pages('films', { limit: 10 })) pages++;
    expect(pages).toBe(3);
  });

  it('passes filters on to the server', async () => {
    const listing = await new CatalogClient(nc).list('films', { search: 'file-1' });
    expect(listing.entries.map((e) => e.path)).toEqual(entries.filter((e) => e.path.includes('file-1')).map((e) => e.path));
  });

  it('a catalog nobody serves is reported offline (503), not as a raw timeout', async () => {
    const error = await new CatalogClient(nc, 300).page('nobody').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NatsterError);
    expect([(error as NatsterError).code, (error as NatsterError).message]).toEqual([503, catalogOffline('nobody')]);
  });

  it('refuses a catalog name that is not a subject token before sending anything', async () => {
    await expect(new CatalogClient(nc).page('a.*')).rejects.toThrow(/invalid catalog/);
  });
});
