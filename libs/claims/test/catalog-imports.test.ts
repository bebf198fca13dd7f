import { describe, expect, it } from 'vitest';
import type { Import } from '@nats-io/jwt';
import { catalogImports, freeAlias, importProblems, importedCatalogs, repairedImports, sameImport, standardImports } from '../src/index';

const key = (c: string) => `A${c.repeat(55)}`;
const me = key('M');
const known = { global: key('G'), authority: key('B') };
const alice = `AAAAAAAA${'C'.repeat(48)}`;
const alias = `AAAAAAAA${'D'.repeat(48)}`; // shares alice's first 8 characters

describe('catalog imports are identified by subjects, not names', () => {
  it('gives a clash the owner key prefix, longer when two owners share it', () => {
    const imports = [...standardImports(me, known).map((s) => s.wanted), ...catalogImports(me, 'films', key('O'))];
    expect(freeAlias(imports, 'films_media', alice)).toBe('films_media');
    expect(freeAlias(imports, 'films', alice)).toBe('films~AAAAAAAA');
    const withAlice = [...imports, ...catalogImports(me, 'films', alice, 'films~AAAAAAAA')];
    expect(freeAlias(withAlice, 'films', alias)).toBe('films~AAAAAAAAD');
    expect(importedCatalogs(withAlice, me)).toEqual([
      { catalog: 'films', owner: key('O'), alias: 'films' },
      { catalog: 'films', owner: alice, alias: 'films~AAAAAAAA' },
    ]);
  });

  it('no catalog pair, whatever its name, equals a standard import', () => {
    for (const name of ['global', 'accounts', 'global-events', 'global_events']) {
      for (const imp of catalogImports(me, name, known.global)) {
        expect(standardImports(me, known).some((s) => sameImport(s.wanted, imp))).toBe(false);
      }
    }
  });

  it('repair restores what a name-keyed edit deleted and keeps everything else', () => {
    const oldAccountsCatalog: Import = { name: 'natster_accounts', subject: `${me}.natster.catalog.accounts.>`, local_subject: 'natster.catalog.accounts.>', type: 'service', account: alice };
    const hijack: Import = { name: 'natster_global', subject: `${me}.natster.global.>`, local_subject: 'natster.global.>', type: 'service', account: alice };
    const [global, events] = standardImports(me, known).map((s) => s.wanted) as [Import, Import];
    const damaged = [hijack, events, oldAccountsCatalog];
    expect(importProblems(damaged, me, known)).toEqual([
      { import: 'global', problem: 'altered' },
      { import: 'accounts', problem: 'missing' },
      { import: 'media:accounts', problem: 'missing' },
    ]);
    const repaired = repairedImports(damaged, me, known);
    expect(importProblems(repaired, me, known)).toEqual([]);
    expect(repaired).toContainEqual(global);
    expect(repaired).not.toContainEqual(hijack);
    expect(importedCatalogs(repaired, me)).toEqual([{ catalog: 'accounts', owner: alice, alias: 'accounts' }]);
  });
});
