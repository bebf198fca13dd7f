import { createHash, X509Certificate } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Codes, INVITE_LINE_PREFIX, InviteLine, NatsterError } from '@natster/protocol';

/** What a hub's owner puts in an invite (hub side, readable names). */
export interface InviteFacts {
  urls: string[];
  /** PEM of the hub's own CA, when it made one. */
  caPem?: string;
  bootstrapJwt: string;
  bootstrapSeed: string;
  portalUrl: string;
  portalXKey: string;
  code: string;
}

/** A decoded line, its CA checked against its pin. */
export interface Invite extends InviteFacts {
  /** SHA-256 of the CA's DER, hex. */
  caPin?: string;
}

/** A line longer than any real one: refuse before inflating (and cap the inflated size too). */
const MAX_LINE = 16_384;
const MAX_JSON = 32_768;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function encodeInviteLine(facts: InviteFacts): string {
  const der = facts.caPem ? new X509Certificate(facts.caPem).raw : undefined;
  const line = InviteLine.check({
    v: 1,
    u: facts.urls,
    ...(der ? { ca: der.toString('base64url'), pin: sha256(der) } : {}),
    j: facts.bootstrapJwt,
    s: facts.bootstrapSeed,
    p: facts.portalUrl,
    x: facts.portalXKey,
    i: facts.code,
  });
  return INVITE_LINE_PREFIX + deflateRawSync(JSON.stringify(line), { level: 9 }).toString('base64url');
}

const garbage = (why: string) =>
  new NatsterError(Codes.badRequest, `this is not a Natster invite (${why}): paste the whole line the hub's owner sent, starting with ${INVITE_LINE_PREFIX}`);

/** Decodes and checks a pasted line; anything else is a 400 saying what to paste. */
export function decodeInviteLine(text: string): Invite {
  const pasted = text.trim();
  if (!pasted.startsWith(INVITE_LINE_PREFIX)) throw garbage(`it does not start with ${INVITE_LINE_PREFIX}`);
  const body = pasted.slice(INVITE_LINE_PREFIX.length);
  if (body.length > MAX_LINE || !/^[A-Za-z0-9_-]+$/.test(body)) throw garbage('it is cut, too long or has characters no invite has');
  let line: InviteLine;
  try {
    line = InviteLine.check(JSON.parse(inflateRawSync(Buffer.from(body, 'base64url'), { maxOutputLength: MAX_JSON }).toString('utf8')));
  } catch {
    throw garbage('it is damaged: a character was changed or lost');
  }
  const der = line.ca === undefined ? undefined : Buffer.from(line.ca, 'base64url');
  if (der && sha256(der) !== line.pin) throw garbage('its CA does not match its pin');
  return {
    urls: line.u,
    ...(der ? { caPem: new X509Certificate(der).toString(), caPin: line.pin } : {}),
    bootstrapJwt: line.j,
    bootstrapSeed: line.s,
    portalUrl: line.p,
    portalXKey: line.x,
    code: line.i,
  };
}
