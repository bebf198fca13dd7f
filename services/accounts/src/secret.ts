import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readSecret, writeSecret, type HubLayout } from '@natster/hub';

/** The HMAC key for signup nonces: created once in the hub's keys folder, shared by every authority copy. */
export async function nonceSecret(layout: HubLayout): Promise<Uint8Array> {
  const path = join(layout.keys, 'authority-nonce.secret');
  try {
    return Buffer.from(await readSecret(path), 'base64url');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const secret = randomBytes(32);
    await writeSecret(path, secret.toString('base64url') + '\n');
    return secret;
  }
}
