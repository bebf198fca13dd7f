import { describe, expect, it } from 'vitest';
import {
  CatalogGetRequest,
  Codes,
  DownloadRequest,
  HeartbeatRequest,
  MAX_ACK_MISSING,
  MAX_REQUEST_BYTES,
  NatsterError,
  NatsterEvent,
  StatsRequest,
  TransferAck,
  newEvent,
  userRevocationProof,
} from '../src/index';

const ACCOUNT = 'A' + 'B'.repeat(55);
const XKEY = 'X' + 'C'.repeat(55);
const enc = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

/** The NatsterError a schema throws, so tests can look at its code and message. */
function refusal(run: () => unknown): NatsterError {
  try {
    run();
  } catch (error) {
    if (error instanceof NatsterError) return error;
    throw error;
  }
  throw new Error('the schema accepted the message');
}

describe('message schemas', () => {
  it('accept a well-formed download request and refuse each kind of bad field', () => {
    expect(DownloadRequest.check({ hash: 'a'.repeat(64), target_xkey: XKEY, offset: 0, length: 10 })).toBeTruthy();
    expect(refusal(() => DownloadRequest.check({ hash: 'x', target_xkey: 'not a key' })).message).toMatch(/target_xkey/);
    expect(refusal(() => DownloadRequest.check({ hash: 'x', target_xkey: XKEY, offset: -1 })).message).toMatch(/offset/);
    expect(refusal(() => DownloadRequest.check({ hash: 'x', target_xkey: XKEY, length: 1.5 })).message).toMatch(/length/);
    expect(refusal(() => DownloadRequest.check({ target_xkey: XKEY })).message).toMatch(/hash/);
    expect(refusal(() => DownloadRequest.check({ hash: '', target_xkey: XKEY })).code).toBe(Codes.badRequest);
  });

  it('refuse extra fields, so a typo is reported instead of ignored', () => {
    const error = refusal(() => CatalogGetRequest.check({ limit: 10, curser: 'x' }));
    expect(error.code).toBe(Codes.badRequest);
    expect(error.message).toMatch(/^invalid catalog get request: /);
  });

  it('bound every list and string a peer controls', () => {
    const missing = Array.from({ length: MAX_ACK_MISSING + 1 }, (_, i) => i);
    expect(refusal(() => TransferAck.check({ next: 0, high: 0, last: -1, missing })).code).toBe(Codes.badRequest);
    expect(refusal(() => TransferAck.check({ next: 0, high: 0, last: -1, missing: null })).message).toMatch(/missing/);
    expect(refusal(() => HeartbeatRequest.check({ catalog: 'Films!', revision: 1 })).message).toMatch(/catalog/);
    expect(refusal(() => CatalogGetRequest.check({ search: 's'.repeat(257) })).message).toMatch(/search/);
  });

  it('decode: 413 above the size limit before parsing, 400 for non-JSON, {} for an empty body', () => {
    const tooBig = new Uint8Array(MAX_REQUEST_BYTES + 1);
    const big = refusal(() => StatsRequest.decode(tooBig));
    expect(big.code).toBe(Codes.tooLarge);
    expect(big.message).toMatch(`limit is ${MAX_REQUEST_BYTES}`);
    expect(refusal(() => StatsRequest.decode(enc('{"unterminated'))).message).toMatch(/not JSON/);
    expect(refusal(() => StatsRequest.decode(Uint8Array.from([0xff, 0xfe]))).code).toBe(Codes.badRequest);
    expect(StatsRequest.decode(new Uint8Array())).toEqual({});
    expect(refusal(() => StatsRequest.decode(enc('[]'))).code).toBe(Codes.badRequest);
    expect(refusal(() => StatsRequest.decode(enc('null'))).code).toBe(Codes.badRequest);
  });

  it('decode honours a route-specific size limit', () => {
    expect(refusal(() => StatsRequest.decode(enc('{}  '), 3)).code).toBe(Codes.tooLarge);
    expect(StatsRequest.decode(enc('{}'), 2)).toEqual({});
  });

  it('newEvent builds events the event schema accepts, with unique ids', () => {
    const a = newEvent('catalog_shared', ACCOUNT, { target: ACCOUNT, catalog: 'films', details: { n: 1 } });
    const b = newEvent('natster_initialized', ACCOUNT);
    expect(NatsterEvent.check(a).data).toEqual({ origin: ACCOUNT, target: ACCOUNT, catalog: 'films', details: { n: 1 } });
    expect(NatsterEvent.check(b).data.target).toBeNull();
    expect(a.id).not.toBe(b.id);
    expect(refusal(() => NatsterEvent.check({ ...a, type: 'catalog_deleted' })).message).toMatch(/type/);
  });

  it('the revocation proof is the exact text docs/protocol.md gives, bound to account, user and time', () => {
    const user = 'U' + 'F'.repeat(55);
    expect(userRevocationProof(ACCOUNT, user, 1_700_000_000)).toBe(`natster.accounts.users.revoke\n${ACCOUNT}\n${user}\n1700000000`);
  });
});
