import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { Type, type Static } from '@sinclair/typebox';
import { Codes, NatsterError, message, AccountKey, UserKey, DisplayName, IsoTime } from '@natster/protocol';
import { readSecret, writeSecret } from '@natster/hub';
import { accountSeedPath, contextFile, contextHubFilePath, contextsDir, userCredsPath, checkContextName, type ContextHubFile } from './paths';

/** One named identity on one hub, as stored in `<home>/contexts/<name>.json` (no secrets). */
export const ContextSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64 }),
  /** nats:// URL of the hub this context signed up with. */
  hub_url: Type.String({ minLength: 1, maxLength: 512 }),
  /** The account public key. */
  account: AccountKey,
  /** The user public key inside that account. */
  user: UserKey,
  creds_path: Type.String({ minLength: 1 }),
  account_seed_path: Type.String({ minLength: 1 }),
  display_name: Type.Optional(DisplayName),
  created_at: IsoTime,
  /** PEM of the CA the hub's TLS certificate chains to (from an invite); absent: plain or system-trusted. */
  ca_path: Type.Optional(Type.String({ minLength: 1 })),
  /** The portal's public URL and xkey (from an invite), so `natster login` needs no flags away from the hub. */
  portal_url: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  portal_xkey: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  /** The hub's public signup creds (from an invite): `natster doctor` re-signs up through them to repair a lost import. */
  bootstrap_creds_path: Type.Optional(Type.String({ minLength: 1 })),
  /** Data dir of the local hub the context was created against, if any. */
  hub_dir: Type.Optional(Type.String()),
});
export type NatsterContext = Static<typeof ContextSchema>;
const ContextFile = message(ContextSchema, 'context file');

export async function contextExists(name: string): Promise<boolean> {
  return readFile(contextFile(name)).then(
    () => true,
    () => false,
  );
}

/** Loads a context; a missing one tells the user how to create it. */
export async function loadContext(name: string): Promise<NatsterContext> {
  const path = contextFile(name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      const flag = name === 'default' ? '' : ` --context ${name}`;
      throw new NatsterError(Codes.notFound, `no context '${name}': run \`natster init${flag}\``);
    }
    throw err;
  }
  try {
    return ContextFile.check(JSON.parse(text));
  } catch (err) {
    throw new NatsterError(Codes.badRequest, `context file ${path} is damaged (${(err as Error).message}): run \`natster init --context ${name} --force\``);
  }
}

export async function saveContext(context: NatsterContext): Promise<string> {
  checkContextName(context.name);
  ContextFile.check(context);
  await mkdir(contextsDir(), { recursive: true, mode: 0o700 });
  const path = contextFile(context.name);
  await writeFile(path, JSON.stringify(context, null, 2) + '\n', { mode: 0o600 });
  return path;
}

/** Every context that loads, sorted by name. */
export async function listContexts(): Promise<NatsterContext[]> {
  const files = await readdir(contextsDir()).catch(() => [] as string[]);
  const names = files.filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  const loaded = await Promise.allSettled(names.map((n) => loadContext(n)));
  return loaded.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

/** Writes a context's user creds (0600) and returns the path. */
export async function writeUserCreds(name: string, creds: string): Promise<string> {
  const path = userCredsPath(name);
  await writeSecret(path, creds);
  return path;
}

/** Writes an account seed (0600) and returns the path. */
export async function writeAccountSeed(account: string, seed: string): Promise<string> {
  const path = accountSeedPath(account);
  await writeSecret(path, seed + '\n');
  return path;
}

export function readAccountSeed(context: NatsterContext): Promise<string> {
  return readSecret(context.account_seed_path);
}

/** Keeps a copy of a hub file (its CA, its signup creds) with the context, so it outlives the hub dir or invite it came from; returns its path. */
export async function writeContextHubFile(name: string, file: ContextHubFile, text: string): Promise<string> {
  const path = contextHubFilePath(name, file);
  await mkdir(contextsDir(), { recursive: true, mode: 0o700 });
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

/** How a context connects: its hub, its creds and, for a hub with its own CA, that CA (for connectNatster). */
export const connectionOf = (context: NatsterContext): { servers: string; credsPath: string; caFile?: string } => ({
  servers: context.hub_url,
  credsPath: context.creds_path,
  ...(context.ca_path ? { caFile: context.ca_path } : {}),
});
