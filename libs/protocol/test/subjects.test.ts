import { describe, expect, it } from 'vitest';
import { callerOf, isAccountKey, isCatalogName, patterns, scoped, subjects, unscoped } from '../src/index';

const ACCOUNT = 'A' + 'D'.repeat(55);

describe('subject builders', () => {
  it('build the caller view of every service', () => {
    expect(subjects.signup()).toBe('natster.signup');
    expect(subjects.global('events.put')).toBe('natster.global.events.put');
    expect(subjects.accounts('catalogs.import')).toBe('natster.accounts.catalogs.import');
    expect(subjects.catalog('films', 'download')).toBe('natster.catalog.films.download');
    expect(subjects.transferAck('films', 'T1234567890')).toBe('natster.catalog.films.transfer.T1234567890.ack');
    expect(subjects.media('films', 'T1234567890')).toBe('natster.media.films.T1234567890');
    expect(subjects.chunker('stop')).toBe('natster.local.chunker.stop');
    expect(subjects.chunkerStart('films', '0123456789abcdef0123456789abcdef')).toBe('natster.local.chunker.films.0123456789abcdef0123456789abcdef.start');
    expect(subjects.localInbox()).toBe('natster.local.inbox');
    expect(subjects.globalEvents('>')).toBe('natster.global-events.>');
    expect(subjects.globalEvents('catalog_shared')).toBe('natster.global-events.catalog_shared');
    expect(subjects.event(ACCOUNT, null, null, 'natster_initialized')).toBe(`natster.events.${ACCOUNT}.none.none.natster_initialized`);
  });

  it('refuse a token that would change the subject: dots, wildcards, spaces, empty, bad names', () => {
    for (const catalog of ['', 'a.b', '*', '>', 'a b', 'Films', 'x'.repeat(33), 'a\tb']) {
      expect(() => subjects.catalog(catalog, 'get'), catalog).toThrow(TypeError);
    }
    for (const id of ['short', 'has.dot', 'x'.repeat(41), 'with-dash1']) {
      expect(() => subjects.transferAck('films', id), id).toThrow(/transfer id/);
    }
    for (const content of ['', '*', '>', 'a.b', '0123456789ABCDEF0123456789ABCDEF', '0'.repeat(31), '0'.repeat(33)]) {
      expect(() => subjects.chunkerStart('films', content), content).toThrow(/content id/);
    }
    expect(() => subjects.globalEvents('a.>')).toThrow(/event type/);
    expect(() => subjects.event(ACCOUNT, '*', null, 'x')).toThrow(/target/);
  });

  it('scope a subject to an account and read the caller back from token 1', () => {
    const seen = scoped(ACCOUNT, subjects.global('stats'));
    expect(seen).toBe(`${ACCOUNT}.natster.global.stats`);
    expect(callerOf(seen)).toBe(ACCOUNT);
    expect(unscoped(seen)).toBe('natster.global.stats');
    expect(callerOf('natster.global.stats')).toBeNull();
    expect(unscoped('natster.global.stats')).toBe('natster.global.stats');
    expect(callerOf('ANOTANACCOUNT.natster.global.stats')).toBeNull();
    expect(() => scoped('AB', 'natster.global.stats')).toThrow(/account/);
  });

  it('patterns cover exactly their services', () => {
    expect(patterns.catalogOf('films')).toBe('*.natster.catalog.films.>');
    expect(patterns.catalogOpsOf('films')).toBe('*.natster.catalog.films.*');
    expect(patterns.localCatalogOpsOf('films')).toBe('natster.catalog.films.*');
    expect(() => patterns.catalogOf('a.b')).toThrow(TypeError);
  });

  it('recognise account keys and catalog names', () => {
    expect(isAccountKey(ACCOUNT)).toBe(true);
    expect(isAccountKey('U' + 'D'.repeat(55))).toBe(false);
    expect(isAccountKey(42)).toBe(false);
    expect(isCatalogName('my_films-2')).toBe(true);
    expect(isCatalogName('../films')).toBe(false);
  });
});
