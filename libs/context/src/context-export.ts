import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { CatalogFile, Codes, NatsterError, isCatalogName, message } from '@natster/protocol';
import { readSecret, writeSecret } from '@natster/hub';
import { contextExists, loadContext, saveContext, writeContextHubFile, writeUserCreds, ContextSchema, type NatsterContext } from './context';
import { accountSeedPath, catalogsDir } from './paths';

/** Most bytes an export file may have (its catalogs dominate: 100,000 entries ≈ 20 MB). */
const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

/**
 * `natster context export`: one file that lets another host of the same
 * user act as the same account (run `natster chunker`, list, download):
 * the context, its user creds, the hub's CA and signup creds it kept, and
 * the context's catalog files. Never the account seed: it stays on the
 * machine that made it (`login`, and anything that signs, work only there).
 */
export const ContextExport = message(
  Type.Object(
    {
      format: Type.Literal('natster-context-export'),
      version: Type.Literal(1),
      exported_at: Type.String({ minLength: 1, maxLength: 64 }),
      /** The context as saved, with the hub URL the other host dials; its local paths are rewritten on import. */
      context: ContextSchema,
      /** The user creds (a secret: JWT and user seed). */
      creds: Type.String({ minLength: 1, maxLength: 16384 }),
      ca_pem: Type.Optional(Type.String({ minLength: 1, maxLength: 65536 })),
      bootstrap_creds: Type.Optional(Type.String({ minLength: 1, maxLength: 16384 })),
      catalogs: Type.Array(CatalogFile.schema),
    },
    { additionalProperties: false },
  ),
  'context export',
);
export type ContextExport = Static<typeof ContextExport.schema>;

/** Reads everything a context has on this host into one export; `hubUrl` replaces the URL the other host dials. */
export async function exportContext(name: string, options: { hubUrl?: string } = {}): Promise<ContextExport> {
  const context = await loadContext(name);
  const dir = catalogsDir(name);
  const files = await readdir(dir).catch(() => [] as string[]);
  const catalogs: CatalogFile[] = [];
  for (const file of files.filter((f) => f.endsWith('.json')).sort()) {
    if (!isCatalogName(file.slice(0, -'.json'.length))) continue;
    catalogs.push(CatalogFile.check(JSON.parse(await readFile(join(dir, file), 'utf8'))));
  }
  const { hub_dir: _hubDir, ...portable } = context;
  return ContextExport.check({
    format: 'natster-context-export',
    version: 1,
    exported_at: new Date().toISOString(),
    context: { ...portable, hub_url: options.hubUrl ?? context.hub_url },
    creds: await readSecret(context.creds_path),
    ...(context.ca_path ? { ca_pem: await readFile(context.ca_path, 'utf8') } : {}),
    ...(context.bootstrap_creds_path ? { bootstrap_creds: await readFile(context.bootstrap_creds_path, 'utf8') } : {}),
    catalogs,
  });
}

/** Writes an export readable by its owner only (0600): it holds the creds. */
export async function writeContextExport(path: string, exported: ContextExport): Promise<void> {
  await writeSecret(path, JSON.stringify(exported) + '\n');
}

export async function readContextExport(path: string): Promise<ContextExport> {
  const text = await readFile(path, 'utf8');
  if (text.length > MAX_EXPORT_BYTES) throw new NatsterError(Codes.tooLarge, `${path} is larger than an export can be`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NatsterError(Codes.badRequest, `${path} is not a natster context export (not JSON): make one with \`natster context export\``);
  }
  try {
    return ContextExport.check(value);
  } catch (error) {
    throw new NatsterError(Codes.badRequest, `${path} is not a natster context export (${(error as Error).message}): make one with \`natster context export\``);
  }
}

/**
 * Installs an export in this home as context `name` (default: the exported
 * name): creds, CA and signup creds 0600 next to it, catalogs in its catalog
 * folder (replacing older copies: that is how a host gets a current copy).
 * Refuses to replace an existing context of another account.
 */
export async function importContext(exported: ContextExport, options: { name?: string; force?: boolean } = {}): Promise<{ context: NatsterContext; catalogs: string[] }> {
  const name = options.name ?? exported.context.name;
  if (await contextExists(name)) {
    const existing = await loadContext(name);
    if (existing.account !== exported.context.account) {
      throw new NatsterError(Codes.conflict, `context '${name}' here is another account (${existing.account}): import under another name with --as NAME`);
    }
    if (existing.user !== exported.context.user && !options.force) {
      throw new NatsterError(Codes.conflict, `context '${name}' here has other creds of the same account: use --force to replace them`);
    }
  }
  const creds_path = await writeUserCreds(name, exported.creds.endsWith('\n') ? exported.creds : `${exported.creds}\n`);
  const { ca_path: _ca, bootstrap_creds_path: _bootstrap, ...rest } = exported.context;
  const context: NatsterContext = {
    ...rest,
    name,
    creds_path,
    account_seed_path: accountSeedPath(exported.context.account),
    ...(exported.ca_pem ? { ca_path: await writeContextHubFile(name, 'ca.pem', exported.ca_pem) } : {}),
    ...(exported.bootstrap_creds ? { bootstrap_creds_path: await writeContextHubFile(name, 'bootstrap.creds', exported.bootstrap_creds) } : {}),
  };
  await saveContext(context);
  const dir = catalogsDir(name);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const catalog of exported.catalogs) {
    const tmp = join(dir, `${catalog.name}.json.${process.pid}.tmp`);
    await writeFile(tmp, JSON.stringify(catalog), { mode: 0o600 });
    // Atomic, as the store saves: a chunker running here re-reads it and follows its content.
    await rename(tmp, join(dir, `${catalog.name}.json`));
  }
  return { context, catalogs: exported.catalogs.map((c) => c.name) };
}
