import { describe, expect, it } from 'vitest';
import { catalogAlias, isCatalogAlias, isCatalogName, isReservedCatalogName, parseCatalogAlias, subjects } from '../src/index';

const owner = 'ABCDEFGH' + 'A'.repeat(48);

describe('catalog aliases', () => {
  it('a clash alias is the name plus the owner key prefix, and parses back', () => {
    const alias = catalogAlias('films', owner);
    expect(alias).toBe('films~ABCDEFGH');
    expect(parseCatalogAlias(alias)).toEqual({ catalog: 'films', ownerPrefix: 'ABCDEFGH' });
    expect(parseCatalogAlias('films')).toEqual({ catalog: 'films', ownerPrefix: null });
    expect(isCatalogAlias(catalogAlias('films', owner, owner.length))).toBe(true);
  });

  it('is one NATS subject token, unchanged by URL encoding, and never a catalog name', () => {
    const alias = catalogAlias('my_films-2', owner);
    expect(subjects.catalog(alias, 'get')).toBe(`natster.catalog.${alias}.get`);
    expect(alias).not.toMatch(/[\s.*>]/);
    expect(encodeURIComponent(alias)).toBe(alias);
    expect(isCatalogName(alias)).toBe(false);
  });

  it('refuses what is not the grammar', () => {
    for (const bad of ['films~', 'films~abcdefgh', 'films~ABC', 'films@ABCDEFGH', 'films~ABCDEFGH.x', '~ABCDEFGH', 'Films']) {
      expect(isCatalogAlias(bad)).toBe(false);
    }
    expect(() => subjects.catalog('films~ABC', 'get')).toThrow(/invalid catalog/);
  });

  it('reserves the names of Natster’s own subjects and imports, not the _media suffix', () => {
    for (const name of ['global', 'accounts', 'global-events', 'local']) expect(isReservedCatalogName(name)).toBe(true);
    expect(isReservedCatalogName('films_media')).toBe(false);
  });
});
