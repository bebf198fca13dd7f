import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a user's Natster state lives: $NATSTER_HOME, else ~/.natster. */
export function natsterHome(): string {
  return process.env.NATSTER_HOME || join(homedir(), '.natster');
}

export const DEFAULT_CONTEXT = 'default';

/** Context names become file names, so they are kept to a safe alphabet. */
const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkContextName(name: string): string {
  if (!CONTEXT_NAME.test(name) || name.includes('..')) {
    throw new Error(`invalid context name ${JSON.stringify(name)}: use letters, digits, '-', '_' or '.' (at most 64)`);
  }
  return name;
}

export const contextsDir = (): string => join(natsterHome(), 'contexts');
export const contextFile = (name: string): string => join(contextsDir(), `${checkContextName(name)}.json`);
/** The user creds (user JWT + user seed) of a context. */
export const userCredsPath = (name: string): string => join(natsterHome(), 'creds', `${checkContextName(name)}.creds`);
/** The account seed; it never leaves this machine. */
export const accountSeedPath = (account: string): string => join(natsterHome(), 'keys', `${account}.nk`);
/** Catalog definitions of one context (owned by the catalogs commands). */
export const catalogsDir = (name: string): string => join(natsterHome(), 'catalogs', checkContextName(name));
/** Files a context keeps from the hub it joined: the CA its certificate chains to, and its public signup creds. */
export type ContextHubFile = 'ca.pem' | 'bootstrap.creds';
export const contextHubFilePath = (name: string, file: ContextHubFile): string => join(contextsDir(), `${checkContextName(name)}.${file}`);
