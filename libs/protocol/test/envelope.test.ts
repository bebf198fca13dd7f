import { describe, expect, it } from 'vitest';
import { Codes, NatsterError, fail, ok } from '../src/index';

describe('reply envelope', () => {
  it('ok carries data and code 200 without an error', () => {
    expect(ok({ n: 1 })).toEqual({ code: 200, data: { n: 1 } });
  });

  it('fail carries the code and the message without data', () => {
    expect(fail(Codes.forbidden, 'not shared with you')).toEqual({ code: 403, error: 'not shared with you' });
  });

  it('a non-200 envelope becomes a NatsterError with its code and message', () => {
    const error = NatsterError.fromEnvelope({ code: 404, error: 'no such file' }, 'natster.catalog.films.download');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NatsterError');
    expect([error.code, error.message]).toEqual([404, 'no such file']);
  });

  it('an envelope without an error message still names the subject and code', () => {
    const error = NatsterError.fromEnvelope({ code: 503 }, 'natster.global.stats');
    expect(error.message).toBe('request to natster.global.stats failed with code 503');
  });

  it('keeps the cause of an error', () => {
    const cause = new Error('socket closed');
    expect(new NatsterError(Codes.unavailable, 'hub gone', { cause }).cause).toBe(cause);
  });
});
