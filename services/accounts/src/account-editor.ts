import { Codes, NatsterError, type ImportProblem } from '@natster/protocol';
import type { ClaimsSigner } from './account-claims';
import type { AccountStore, StoredAccount } from './store';

export interface AccountEditorDeps {
  store: AccountStore;
  push(jwt: string): Promise<void>;
}

const MAX_EDIT_ATTEMPTS = 5;

/**
 * Read, change, compare-and-set, push: concurrent edits of one account never
 * lose each other. `change` returns null when there is nothing to change; the
 * current JWT is pushed anyway, which heals a server that lost it.
 */
export async function editAccount(deps: AccountEditorDeps, load: () => Promise<StoredAccount>, change: (jwt: string) => Promise<string | null>): Promise<string> {
  for (let attempt = 0; attempt < MAX_EDIT_ATTEMPTS; attempt++) {
    const current = await load();
    const jwt = await change(current.record.jwt);
    if (jwt === null) {
      await deps.push(current.record.jwt);
      return current.record.jwt;
    }
    if (await deps.store.update({ ...current.record, jwt, updated_at: new Date().toISOString() }, current.revision)) {
      await deps.push(jwt);
      return jwt;
    }
  }
  throw new NatsterError(Codes.conflict, 'the account changed concurrently too many times; try again');
}

/** Restores the standard imports (and incomplete catalog pairs) of a stored account; says what it restored. */
export async function repairAccount(
  deps: AccountEditorDeps & { signer: ClaimsSigner },
  load: () => Promise<StoredAccount>,
): Promise<{ jwt: string; repaired: ImportProblem[] }> {
  let repaired: ImportProblem[] = [];
  const jwt = await editAccount(deps, load, async (current) => {
    const fixed = await deps.signer.repair(current);
    repaired = fixed?.repaired ?? [];
    return fixed?.jwt ?? null;
  });
  return { jwt, repaired };
}
