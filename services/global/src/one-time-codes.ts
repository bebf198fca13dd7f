import { randomInt } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { decodeJson, encodeJson, type JetStreamClient, type KV } from '@natster/nats';
import {
  AccountKey,
  Codes,
  ContextSummary,
  EventTypes,
  IsoTime,
  MAX_SEALED_CHARS,
  NatsterError,
  message,
  newEvent,
  type OtcClaimReply,
  type OtcGenerateReply,
  type OtcGenerateRequest,
} from '@natster/protocol';
import type { GlobalConfig } from './config';
import { appendEvent } from './event-log';

/** Letters and digits a person cannot confuse (no 0/O, 1/I/L). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;

/** NATSTER_OTC value, key = the code. */
const OtcRecord = message(
  Type.Object({ account: AccountKey, context: ContextSummary, sealed: Type.String({ maxLength: MAX_SEALED_CHARS }), created_at: IsoTime }),
  'one-time code record',
);

/** A code from a cryptographically secure source (crypto.randomInt, never Math.random). */
export function newCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

export interface OtcDeps {
  js: JetStreamClient;
  /** Bucket whose max age is the code lifetime. */
  codes: KV;
  config: Pick<GlobalConfig, 'otcMaxAgeMs' | 'portalUrl' | 'dataKey'>;
}

export async function generateCode(deps: OtcDeps, account: string, body: OtcGenerateRequest): Promise<OtcGenerateReply> {
  const now = new Date();
  const record = { account, context: body.context, sealed: body.sealed, created_at: now.toISOString() };
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = newCode();
    try {
      // create fails on a live code, so two callers never share one
      await deps.codes.create(code, encodeJson(record));
    } catch (err) {
      if (/wrong last sequence|key exists/i.test(String(err))) continue;
      throw err;
    }
    return {
      code,
      claim_url: `${deps.config.portalUrl.replace(/\/+$/, '')}/login/${code}`,
      valid_minutes: deps.config.otcMaxAgeMs / 60_000,
      expires_at: new Date(now.getTime() + deps.config.otcMaxAgeMs).toISOString(),
    };
  }
  throw new NatsterError(Codes.internal, 'could not mint a unique code; try again');
}

/** Returns the bound payload once: the delete is CAS on the revision, so a second claim (or a racing one) gets 404. */
export async function claimCode(deps: OtcDeps, code: string): Promise<OtcClaimReply> {
  const key = code.toUpperCase();
  const gone = new NatsterError(Codes.notFound, `code ${key} is unknown, already used or expired: run \`natster login\` for a new one`);
  const entry = await deps.codes.get(key);
  if (!entry || entry.operation !== 'PUT' || Date.now() - entry.created.getTime() > deps.config.otcMaxAgeMs) throw gone;
  try {
    await deps.codes.delete(key, { previousSeq: entry.revision });
  } catch (err) {
    if (/wrong last sequence/i.test(String(err))) throw gone;
    throw err;
  }
  const record = OtcRecord.check(decodeJson(entry.value));
  const details = { context: record.context.name };
  await appendEvent(deps.js, deps.config.dataKey, newEvent(EventTypes.contextBound, record.account, { details }));
  return record;
}
