import { readSecret, writeSecret } from '@natster/hub';
import { DATA_KEY_BYTES, newDataKey } from './personal-data';

/**
 * Reads the at-rest data key (base64, 32 bytes), creating it 0600 on first
 * run. Losing it makes sealed display names unreadable, so it is never rotated silently.
 */
export async function loadDataKey(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = await readSecret(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const key = newDataKey();
    await writeSecret(path, Buffer.from(key).toString('base64') + '\n');
    return key;
  }
  const key = Buffer.from(text, 'base64');
  if (key.length !== DATA_KEY_BYTES) throw new Error(`${path} does not hold a ${DATA_KEY_BYTES}-byte base64 key; restore it from a backup`);
  return key;
}
