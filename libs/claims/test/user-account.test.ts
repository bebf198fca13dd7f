import { describe, expect, it } from 'vitest';
import { authorityExports, catalogImports, catalogOwnerExports, globalExports, importedCatalogs, standardImports, userAccountClaims } from '../src/index';

const key = (c: string) => `A${c.repeat(55)}`;
const me = key('M');
const known = { global: key('G'), authority: key('B'), hub: key('H') };

describe('what a user account is signed with', () => {
  it('the standard imports, plus the demo catalog of the hub when the hub has one', () => {
    const standard = standardImports(me, known).map((s) => s.wanted);
    expect(userAccountClaims(me, known, null).imports).toEqual(standard);
    const withDemo = userAccountClaims(me, known, 'demo').imports;
    expect(withDemo).toEqual([...standard, ...catalogImports(me, 'demo', known.hub)]);
    expect(importedCatalogs(withDemo, me)).toEqual([{ catalog: 'demo', owner: known.hub, alias: 'demo' }]);
  });

  it("every export but the public signup puts the caller's account at token 1, so a caller cannot name another", () => {
    const exports = [...catalogOwnerExports(), ...globalExports(), ...authorityExports()];
    for (const e of exports.filter((x) => x.subject !== 'natster.signup')) {
      expect([e.name, e.subject.split('.')[0], e.account_token_position]).toEqual([e.name, '*', 1]);
    }
    expect(userAccountClaims(me, known, null).exports).toEqual(catalogOwnerExports());
  });
});
