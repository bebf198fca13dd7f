import {
  accountJwt,
  catalogImports,
  decodeJwt,
  importedCatalogs,
  userAccountClaims,
  type Account,
  type Import,
  type WellKnownAccounts,
} from '@natster/claims';
import { Codes, NatsterError } from '@natster/protocol';

/** Signs account JWTs for user accounts; holds the operator signing seed. */
export interface ClaimsSigner {
  /** A new user account with the standard exports/imports (including the demo catalog). */
  signup(account: string, name: string): Promise<string>;
  /** Re-signs `jwt` with the imports of `catalog` from `owner` added. */
  addCatalog(jwt: string, catalog: string, owner: string): Promise<string>;
  /** Re-signs `jwt` with the imports of `catalog` from `owner` removed. */
  removeCatalog(jwt: string, catalog: string, owner: string): Promise<string>;
}

export interface CatalogImport {
  catalog: string;
  owner: string;
}

export function catalogsOf(jwt: string): CatalogImport[] {
  return importedCatalogs(decodeJwt<Account>(jwt).nats.imports);
}

const sameImport = (a: Import, b: Import) => a.name === b.name && a.subject === b.subject && a.account === b.account && a.type === b.type;

export function claimsSigner(signingSeed: string, known: WellKnownAccounts, demoCatalog: string | null): ClaimsSigner {
  const resign = (jwt: string, edit: (imports: Import[]) => Import[]) => {
    const claims = decodeJwt<Account>(jwt);
    const account = claims.sub;
    return accountJwt({ name: claims.name, account, exports: claims.nats.exports ?? [], imports: edit(claims.nats.imports ?? []) }, signingSeed);
  };

  return {
    signup(account, name) {
      return accountJwt({ name, account, ...userAccountClaims(account, known, demoCatalog) }, signingSeed);
    },

    addCatalog(jwt, catalog, owner) {
      const account = decodeJwt<Account>(jwt).sub;
      if (owner === account) throw new NatsterError(Codes.conflict, `catalog '${catalog}' is your own: there is nothing to import`);
      const existing = catalogsOf(jwt).find((c) => c.catalog === catalog);
      if (existing && existing.owner !== owner) {
        throw new NatsterError(Codes.conflict, `you already import a catalog named '${catalog}' from ${existing.owner}: unimport it first`);
      }
      const wanted = catalogImports(account, catalog, owner);
      return resign(jwt, (imports) => [...imports.filter((i) => !wanted.some((w) => w.name === i.name)), ...wanted]);
    },

    removeCatalog(jwt, catalog, owner) {
      const account = decodeJwt<Account>(jwt).sub;
      if (!catalogsOf(jwt).some((c) => c.catalog === catalog && c.owner === owner)) {
        throw new NatsterError(Codes.notFound, `you do not import catalog '${catalog}' from ${owner}`);
      }
      const pair = catalogImports(account, catalog, owner);
      return resign(jwt, (imports) => imports.filter((i) => !pair.some((p) => sameImport(p, i))));
    },
  };
}
