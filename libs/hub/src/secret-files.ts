import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes a secret (seed, creds) readable by its owner only: mode 0600, folder 0700. */
export async function writeSecret(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, 0o600);
}

export async function readSecret(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}
