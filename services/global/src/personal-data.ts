import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { NatsterEvent } from '@natster/protocol';

/** Detail fields that identify a person: sealed before an event reaches the log. */
export const PERSONAL_DETAILS = ['display_name', 'name', 'web_identity', 'email'] as const;

const PREFIX = 'enc1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;

type Details = NonNullable<NatsterEvent['data']['details']>;

/** AES-256-GCM with a random IV; output `enc1:<base64 iv|tag|ciphertext>`. */
export function sealText(key: Uint8Array, text: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Opens what sealText made; plain text (written before encryption existed) passes through. */
export function openText(key: Uint8Array, value: string): string {
  if (!value.startsWith(PREFIX)) return value;
  const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

function mapPersonal(details: Details | undefined, fn: (text: string) => string): Details | undefined {
  if (!details) return details;
  const out: Details = { ...details };
  for (const field of PERSONAL_DETAILS) {
    const value = out[field];
    if (typeof value === 'string') out[field] = fn(value);
  }
  return out;
}

/** The event as it is stored: personal detail fields sealed with the data key. */
export function sealEvent(key: Uint8Array, event: NatsterEvent): NatsterEvent {
  const details = mapPersonal(event.data.details, (t) => sealText(key, t));
  return details ? { ...event, data: { ...event.data, details } } : event;
}

/** The event as its parties see it: personal detail fields opened. */
export function openEvent(key: Uint8Array, event: NatsterEvent): NatsterEvent {
  const details = mapPersonal(event.data.details, (t) => openText(key, t));
  return details ? { ...event, data: { ...event.data, details } } : event;
}

export function newDataKey(): Uint8Array {
  return randomBytes(DATA_KEY_BYTES);
}
