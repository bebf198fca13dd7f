import {
  accountJwt,
  catalogImports,
  decodeJwt,
  freeAlias,
  importProblems,
  importedCatalogs,
  repairedImports,
  resignAccountJwt,
  sameImport,
  userAccountClaims,
  type Account,
  type AccountLimits,
  type Import,
  type WellKnownAccounts,
} from '@natster/claims';
import { Codes, NatsterError, isReservedCatalogName, type ImportProblem, type ImportedCatalog } from '@natster/protocol';

/** Signs account JWTs for user accounts; holds the operator signing seed. */
export interface ClaimsSigner {
  /** A new user account with the standard exports/imports (including the demo catalog) and the hub's user limits. */
  signup(account: string, name: string, limits: AccountLimits): Promise<string>;
  /** Re-signs `jwt` with the imports of `catalog` from `owner` added, under a free local alias. */
  addCatalog(jwt: string, catalog: string, owner: string): Promise<string>;
  /** Re-signs `jwt` with exactly the imports of `catalog` from `owner` removed. */
  removeCatalog(jwt: string, catalog: string, owner: string): Promise<string>;
  /** What is wrong with the account's imports (see importProblems). */
  problems(jwt: string): ImportProblem[];
  /** Re-signs `jwt` with its problems fixed; null when there is nothing to fix. */
  repair(jwt: string): Promise<{ jwt: string; repaired: ImportProblem[] } | null>;
}

export function catalogsOf(jwt: string): ImportedCatalog[] {
  const claims = decodeJwt<Account>(jwt);
  return importedCatalogs(claims.nats.imports, claims.sub);
}

export function claimsSigner(signingSeed: string, known: WellKnownAccounts, demoCatalog: string | null): ClaimsSigner {
  const resign = (jwt: string, edit: (imports: Import[]) => Import[]) =>
    resignAccountJwt(jwt, signingSeed, (current) => ({ imports: edit(current.imports ?? []) }));
  const problemsOf = (jwt: string) => {
    const claims = decodeJwt<Account>(jwt);
    return importProblems(claims.nats.imports ?? [], claims.sub, known);
  };

  return {
    signup(account, name, limits) {
      return accountJwt({ name, account, limits, ...userAccountClaims(account, known, demoCatalog) }, signingSeed);
    },

    addCatalog(jwt, catalog, owner) {
      const claims = decodeJwt<Account>(jwt);
      const account = claims.sub;
      if (owner === account) throw new NatsterError(Codes.conflict, `catalog '${catalog}' is your own: there is nothing to import`);
      if (isReservedCatalogName(catalog)) {
        throw new NatsterError(Codes.badRequest, `'${catalog}' is a name Natster reserves for its own imports: no catalog may use it; ask its owner to rename it`);
      }
      const imports = claims.nats.imports ?? [];
      const existing = importedCatalogs(imports, account).find((c) => c.catalog === catalog && c.owner === owner);
      // importing again re-adds exactly this pair (healing a half-removed one) under its alias
      const alias = existing?.alias ?? freeAlias(imports, catalog, owner);
      if (alias === null) throw new NatsterError(Codes.conflict, `no free local name for catalog '${catalog}' from ${owner}: unimport one of that name first`);
      const pair = catalogImports(account, catalog, owner, alias);
      return resign(jwt, (current) => [...current.filter((i) => !pair.some((p) => sameImport(p, i))), ...pair]);
    },

    removeCatalog(jwt, catalog, owner) {
      const found = catalogsOf(jwt).find((c) => c.catalog === catalog && c.owner === owner);
      if (!found) throw new NatsterError(Codes.notFound, `you do not import catalog '${catalog}' from ${owner}`);
      const pair = catalogImports(decodeJwt<Account>(jwt).sub, catalog, owner, found.alias);
      return resign(jwt, (imports) => imports.filter((i) => !pair.some((p) => sameImport(p, i))));
    },

    problems: problemsOf,

    async repair(jwt) {
      const repaired = problemsOf(jwt);
      if (repaired.length === 0) return null;
      const account = decodeJwt<Account>(jwt).sub;
      return { jwt: await resign(jwt, (imports) => repairedImports(imports, account, known)), repaired };
    },
  };
}
