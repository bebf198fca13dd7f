import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createXKey } from '@natster/crypto';
import { newUserKey } from '@natster/claims';
import { INVITE_LINE_PREFIX } from '@natster/protocol';
import { decodeInviteLine, encodeInviteLine, type InviteFacts } from '../src/index';

/** A self-signed CA made by the openssl command, as an owner's own CA would be. */
async function makeCa(dir: string, name: string): Promise<string> {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-subj', `/CN=${name}`], { stdio: 'ignore' });
  return readFile(cert, 'utf8');
}

const rewrite = (line: string, change: (json: Record<string, unknown>) => void) => {
  const json = JSON.parse(inflateRawSync(Buffer.from(line.slice(INVITE_LINE_PREFIX.length), 'base64url')).toString());
  change(json);
  return INVITE_LINE_PREFIX + deflateRawSync(JSON.stringify(json)).toString('base64url');
};

describe('invite lines', () => {
  let dir: string;
  let facts: InviteFacts;
  let otherCa: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-invite-line-'));
    facts = {
      urls: ['tls://127.0.0.4:4222', 'tls://127.0.0.5:4222'],
      caPem: await makeCa(dir, 'hub-ca'),
      bootstrapJwt: 'eyJ0eXAiOiJKV1QifQ.e30.c2ln',
      bootstrapSeed: newUserKey().seed,
      portalUrl: 'https://portal.example.test',
      portalXKey: createXKey().publicKey,
      code: 'eyJpIjoiMSJ9.c2lnbmF0dXJl',
    };
    otherCa = await makeCa(dir, 'another-ca');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips everything a friend needs, the CA with its SHA-256 pin, in one line', () => {
    const line = encodeInviteLine(facts);
    expect(line).toMatch(/^natster-invite:[A-Za-z0-9_-]+$/);
    console.log(`invite line with a P-256 CA and two URLs: ${line.length} characters`);
    const decoded = decodeInviteLine(`  ${line}\n`);
    expect(decoded).toMatchObject({ ...facts, caPem: expect.any(String) });
    const der = new X509Certificate(decoded.caPem!).raw;
    expect(der.equals(new X509Certificate(facts.caPem!).raw)).toBe(true);
    expect(decoded.caPin).toBe(createHash('sha256').update(der).digest('hex'));
  });

  it('refuses a line whose CA does not match its pin, and garbage, saying what to paste', () => {
    const swapped = rewrite(encodeInviteLine(facts), (json) => (json.ca = new X509Certificate(otherCa).raw.toString('base64url')));
    expect(() => decodeInviteLine(swapped)).toThrow(/this is not a Natster invite \(its CA does not match its pin\)/);
    const extra = rewrite(encodeInviteLine(facts), (json) => (json.admin = true));
    expect(() => decodeInviteLine(extra)).toThrow(/damaged/);
    for (const text of ['', 'natster-invite:', 'natster-invite:!!', 'https://example.com', `${INVITE_LINE_PREFIX}${'A'.repeat(20_000)}`]) {
      expect(() => decodeInviteLine(text)).toThrow(/this is not a Natster invite \(.+\): paste the whole line/);
    }
  });
});
