import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESERVED_CATALOG_NAMES } from '@natster/protocol';
import { startFixture, type Fixture } from './fixture';

describe('catalogs.validatename refuses names Natster reserves', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(async () => f?.stop());

  it('refuses global, accounts, global-events and local with a clear 400; films_media stays a valid name', async () => {
    const owner = await f.user('reserver');
    for (const name of ['global', 'accounts', 'global-events', 'local']) {
      expect(RESERVED_CATALOG_NAMES).toContain(name);
      await expect(owner.client.validateCatalogName(name)).rejects.toMatchObject({ code: 400, message: expect.stringMatching(/reserved by Natster/) });
    }
    // nothing keys on the `_media` suffix any more, so a catalog may end with it
    expect(await owner.client.validateCatalogName('films_media')).toEqual({ name: 'films_media', valid: true });
  });
});
