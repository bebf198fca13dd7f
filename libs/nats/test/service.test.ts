import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Codes, NatsterError, message, type Envelope } from '@natster/protocol';
import { startTestHub, type TestHub } from '@natster/testing';
import { call, createLogger, decodeJson, encodeJson, route, startService, type NatsConnection } from '../src/index';

const Echo = message(Type.Object({ text: Type.String({ maxLength: 32 }) }, { additionalProperties: false }), 'echo request');
const Anything = message(Type.Object({}), 'any request');
const EchoReply = message(Type.Object({ text: Type.String(), caller: Type.Union([Type.String(), Type.Null()]) }), 'echo reply');
const Nothing = message(Type.Unknown(), 'any reply');
const ACCOUNT = 'A' + 'E'.repeat(55);

/** A service on `test.svc.<op>` with one route per behaviour under test. */
describe('startService and call, on a real nats-server', () => {
  let th: TestHub;
  let nc: NatsConnection;
  const logged: Record<string, unknown>[] = [];

  const raw = async (subject: string, body: Uint8Array | string) => {
    const reply = await nc.request(subject, typeof body === 'string' ? new TextEncoder().encode(body) : body, { timeout: 3000 });
    return { envelope: decodeJson(reply.data) as Envelope, headers: reply.headers };
  };
  const refusal = (calling: Promise<unknown>) =>
    calling.then(
      () => Promise.reject(new Error('the call succeeded')),
      (e: unknown) => (e instanceof NatsterError ? e : Promise.reject(e)),
    );

  beforeAll(async () => {
    th = await startTestHub();
    nc = await th.connectAs('HUB', 'service-owner');
    const logger = createLogger('test-service', { level: 'debug', write: (line) => logged.push(JSON.parse(line) as Record<string, unknown>) });
    await startService(nc, { name: 'test-service', version: '1.0.0', description: 'routes for libs/nats tests', queue: 'test-service', logger }, [
      {
        name: 'ops',
        subject: 'test.svc.>',
        opOf: (subject) => subject.split('.').slice(2).join('.') || null,
        routes: [
          route({ op: 'echo', request: Echo, handle: (body, ctx) => ({ text: body.text, caller: ctx.caller }) }),
          route({ op: 'small', request: Anything, maxBytes: 16, handle: () => ({}) }),
          route({
            op: 'crash',
            request: Anything,
            handle: () => {
              throw new TypeError('cannot read properties of undefined');
            },
          }),
          route({
            op: 'conflict',
            request: Anything,
            handle: async () => {
              throw new NatsterError(Codes.conflict, 'that name is taken: pick another');
            },
          }),
        ],
      },
      {
        // a caller-scoped endpoint: token 1 is the account, as behind an export
        name: 'scoped',
        subject: '*.test.scoped.echo',
        opOf: () => 'echo',
        routes: [route({ op: 'echo', request: Echo, handle: (body, ctx) => ({ text: body.text, caller: ctx.caller }) })],
      },
    ]);
    // a subscriber that never answers, for the timeout case
    nc.subscribe('test.silent');
  });
  afterAll(async () => th?.stop());

  it('a valid request round-trips: call returns the validated data', async () => {
    expect(await call(nc, 'test.svc.echo', { text: 'hello' }, EchoReply)).toEqual({ text: 'hello', caller: null });
  });

  it('the caller is token 1 of a scoped subject', async () => {
    expect(await call(nc, `${ACCOUNT}.test.scoped.echo`, { text: 'hi' }, EchoReply)).toEqual({ text: 'hi', caller: ACCOUNT });
  });

  it('bad JSON: 400 with the NATS service error headers too', async () => {
    const { envelope, headers } = await raw('test.svc.echo', '{"text": ');
    expect(envelope).toEqual({ code: 400, error: 'invalid echo request: body is not JSON' });
    expect(headers?.get('Nats-Service-Error-Code')).toBe('400');
    expect(headers?.get('Nats-Service-Error')).toBe(envelope.error);
  });

  it('a body that breaks the schema: 400 naming the field', async () => {
    const error = await refusal(call(nc, 'test.svc.echo', { text: 'x'.repeat(33) }, EchoReply));
    expect(error.code).toBe(Codes.badRequest);
    expect(error.message).toMatch(/^invalid echo request: \/text: /);
    expect((await refusal(call(nc, 'test.svc.echo', { text: 'a', extra: 1 }, EchoReply))).code).toBe(Codes.badRequest);
  });

  it('invalid UTF-8 never reaches a handler: it is read as U+FFFD, as the protocol says', async () => {
    const body = Uint8Array.from([...new TextEncoder().encode('{"text":"'), 0xff, 0xfe, 0xed, 0xa0, 0x80, ...new TextEncoder().encode('"}')]);
    const { envelope } = await raw('test.svc.echo', body);
    expect(envelope.code).toBe(200);
    expect((envelope.data as { text: string }).text).toMatch(/^\uFFFD+$/);
  });

  it('hostile bodies (NUL keys, nesting 20,000 deep, prototype keys): 400, and the service keeps serving', async () => {
    const bodies = [
      '{"text":"a\u0000b","\u0000":1}',
      '['.repeat(20_000) + ']'.repeat(20_000),
      '{"__proto__":{"text":"polluted"}}',
    ];
    for (const body of bodies) expect((await raw('test.svc.echo', body)).envelope.code).toBe(Codes.badRequest);
    expect(await call(nc, 'test.svc.echo', { text: 'fine' }, EchoReply)).toEqual({ text: 'fine', caller: null });
  });

  it('an oversized body: 413 before parsing (also with a route limit)', async () => {
    const { envelope } = await raw('test.svc.echo', new Uint8Array(64 * 1024 + 1).fill(0x20));
    expect(envelope.code).toBe(Codes.tooLarge);
    const body = { padding: 'more than sixteen bytes' };
    const small = await refusal(call(nc, 'test.svc.small', body, Nothing));
    expect([small.code, small.message]).toEqual([413, `any request is ${encodeJson(body).length} bytes; the limit is 16`]);
  });

  it('an unknown operation: 404 naming the subject', async () => {
    const error = await refusal(call(nc, 'test.svc.nope', {}, Nothing));
    expect([error.code, error.message]).toEqual([404, 'no such operation: test.svc.nope']);
  });

  it('a handler’s NatsterError keeps its code and message', async () => {
    const error = await refusal(call(nc, 'test.svc.conflict', {}, Nothing));
    expect([error.code, error.message]).toEqual([409, 'that name is taken: pick another']);
  });

  it('a handler crash: 500 without internals, logged as a JSON line, and the service keeps serving', async () => {
    const { envelope } = await raw('test.svc.crash', '{}');
    expect(envelope).toEqual({ code: 500, error: 'internal error; the service logged the details' });
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'error', service: 'test-service', msg: 'request crashed', subject: 'test.svc.crash', error: { name: 'TypeError', message: 'cannot read properties of undefined' } }),
    );
    expect(await call(nc, 'test.svc.echo', { text: 'still here' }, EchoReply)).toEqual({ text: 'still here', caller: null });
  });

  it('is visible to the NATS service API ($SRV.PING)', async () => {
    const names: string[] = [];
    for await (const info of await nc.services.client().ping('test-service')) names.push(info.name);
    expect(names).toEqual(['test-service']);
  });

  it('call: nobody serving is 503 with the offline text; a silent responder is 504', async () => {
    const offline = await refusal(call(nc, 'test.nobody', {}, Nothing, { offline: 'the test service is not running' }));
    expect([offline.code, offline.message]).toEqual([503, 'the test service is not running']);
    const silent = await refusal(call(nc, 'test.silent', {}, Nothing, { timeout: 200 }));
    expect([silent.code, silent.message]).toEqual([504, 'no reply on test.silent within 200 ms']);
  });

  it('call: a reply that is not an envelope is 500; data that breaks the reply schema is refused, naming the reply', async () => {
    nc.subscribe('test.garbage', { callback: (_e, m) => m.respond(new TextEncoder().encode('not json')) });
    nc.subscribe('test.no-code', { callback: (_e, m) => m.respond(encodeJson({ data: 1 })) });
    const garbage = await refusal(call(nc, 'test.garbage', {}, Nothing));
    expect([garbage.code, garbage.message]).toEqual([500, 'reply on test.garbage is not JSON']);
    const noCode = await refusal(call(nc, 'test.no-code', {}, Nothing));
    expect([noCode.code, noCode.message]).toEqual([500, 'reply on test.no-code is not an envelope']);
    const wrongShape = await refusal(call(nc, 'test.svc.echo', { text: 'x' }, message(Type.Object({ n: Type.Number() }), 'number reply')));
    expect(wrongShape.message).toMatch(/^invalid number reply/);
  });
});
