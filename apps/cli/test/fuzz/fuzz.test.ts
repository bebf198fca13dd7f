import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDownload } from '@natster/client';
import { createXKey } from '@natster/crypto';
import { decodeJson, type Msg, type NatsConnection } from '@natster/nats';
import {
  AccountsOps,
  CatalogOps,
  ChunkerStop,
  GlobalOps,
  NatsterError,
  TransferAck,
  TransferEnd,
  TransferHeaders,
  subjects,
  type DownloadReply,
  type Envelope,
  type Message,
} from '@natster/protocol';
import type { TSchema } from '@sinclair/typebox';
import { startFuzzWorld, type FuzzWorld } from './fuzz-world';
import { mutations, type FuzzCase } from './mutations';
import { fuzzTargets, type FuzzTarget } from './targets';

const CATALOG = 'films';
const FILE = 'clip.bin';
const BYTES = randomBytes(300_000);
/** A hostile request must be answered; one that is not within this long is a hang. */
const REPLY_TIMEOUT_MS = 5_000;

interface Outcome {
  subject: string;
  case: string;
  code: number | 'timeout' | 'no reply';
  error?: string;
}

/** What the service's own decoding says about a body: accepted, or refused with this code. */
function expectedRefusal(message: Message<TSchema>, body: Uint8Array): number | null {
  try {
    message.decode(body);
    return null;
  } catch (error) {
    if (error instanceof NatsterError) return error.code;
    throw error;
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function pooled<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function request(nc: NatsConnection, subject: string, body: Uint8Array): Promise<Pick<Outcome, 'code' | 'error'>> {
  try {
    const reply = await nc.request(subject, body, { timeout: REPLY_TIMEOUT_MS });
    const envelope = decodeJson(reply.data) as Envelope;
    return { code: envelope.code, ...(envelope.error ? { error: envelope.error } : {}) };
  } catch (error) {
    return { code: (error as { code?: string }).code === 'TIMEOUT' ? 'timeout' : 'no reply', error: String(error) };
  }
}

/**
 * Every request subject of libs/protocol, fed hostile bodies derived from
 * its schema, against the real services on a real nats-server: the
 * authority, the global service, the owner's catalog server and chunker.
 * Each case must get a 4xx envelope (a 200 only when the schema accepts the
 * body), never a 5xx or silence, and each service must still serve a valid
 * request afterwards.
 */
describe('fuzz: hostile bodies on every request subject', () => {
  let world: FuzzWorld;
  let bootstrap: NatsConnection;
  let friend: NatsConnection;
  let owner: NatsConnection;
  let friendAccount: string;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    world = await startFuzzWorld(CATALOG, { [FILE]: BYTES });
    ({ bootstrap } = world);
    ({ nc: friend, account: friendAccount } = world.friend);
    owner = world.owner.nc;
  });

  afterAll(async () => {
    await world?.stop();
    const codes: Record<string, number> = {};
    for (const o of outcomes) codes[o.code] = (codes[o.code] ?? 0) + 1;
    console.log(`fuzz: ${outcomes.length} cases over ${new Set(outcomes.map((o) => o.subject.replace(/transfer\.\w+/, 'transfer.<id>'))).size} subject views; replies by code: ${JSON.stringify(codes)}`);
  });

  it('covers every operation libs/protocol defines', () => {
    const covered = new Set(fuzzTargets({ bootstrap, friend, owner, friendAccount, catalog: CATALOG, content: world.content }).map((t) => t.subject));
    const wanted = [
      ...Object.values(GlobalOps).map((op) => subjects.global(op)),
      ...Object.values(AccountsOps).map((op) => subjects.accounts(op)),
      ...Object.values(CatalogOps).map((op) => subjects.catalog(CATALOG, op)),
      subjects.signup(),
      subjects.localInbox(),
      subjects.chunkerStart(CATALOG, world.content),
    ];
    expect(wanted.filter((s) => !covered.has(s))).toEqual([]);
  });

  it('request subjects: every hostile body gets a 4xx envelope, and each service still serves afterwards', async () => {
    const started = performance.now();
    const targets = fuzzTargets({ bootstrap, friend, owner, friendAccount, catalog: CATALOG, content: world.content });
    const cases = targets.flatMap((target) => [...mutations(target.base, target.message.schema)].map((c) => ({ target, c })));
    const bad: Outcome[] = [];
    await pooled(cases, 8, async ({ target, c }: { target: FuzzTarget; c: FuzzCase }) => {
      const sender = target.nc === owner ? 'owner' : target.nc === friend ? 'friend' : 'bootstrap';
      const outcome: Outcome = { subject: `${sender} → ${target.subject}`, case: c.name, ...(await request(target.nc, target.subject, c.body)) };
      outcomes.push(outcome);
      // Above the account's max_payload (small for the public signup account) the hub itself refuses to carry it.
      if (c.body.length > (target.nc.info?.max_payload ?? Infinity)) {
        if (outcome.code !== 'no reply' || !/MAX_PAYLOAD_EXCEEDED/.test(outcome.error ?? '')) bad.push(outcome);
        return;
      }
      const refused = expectedRefusal(target.message, c.body);
      const servedHostileFile = c.hostileIn !== undefined && target.fileFields?.includes(c.hostileIn) && outcome.code === 200;
      const ok =
        typeof outcome.code === 'number' &&
        outcome.code < 500 &&
        !servedHostileFile &&
        (refused === null || (outcome.code >= 400 && (refused !== 413 || outcome.code === 413)));
      if (!ok) bad.push(outcome);
    });
    console.log(`fuzz: ${cases.length} request cases in ${Math.round(performance.now() - started)} ms`);
    expect(bad).toEqual([]);

    // every service still answers a valid request
    for (const target of targets) {
      const { code, error } = await request(target.nc, target.subject, new TextEncoder().encode(JSON.stringify(target.base)));
      expect(typeof code === 'number' && code < 500, `${target.subject} after fuzzing: ${code} ${error ?? ''}`).toBe(true);
    }
    const listing = await request(friend, subjects.catalog(CATALOG, 'get'), new TextEncoder().encode('{}'));
    expect(listing.code).toBe(200);
    expect((await request(friend, subjects.global('stats'), new Uint8Array())).code).toBe(200);
    expect((await request(friend, subjects.accounts('get'), new Uint8Array())).code).toBe(200);
  });

  it('transfer acks: every malformed ack ends its transfer with a 400 notice, never a 5xx or silence', async () => {
    const hash = createHash('sha256').update(BYTES).digest('hex');
    const cases = [...mutations({ next: 0, high: 0, last: -1, missing: [] }, TransferAck.schema)];
    const bad: Outcome[] = [];
    await pooled(cases, 4, async (c) => {
      const body = new TextEncoder().encode(JSON.stringify({ hash, target_xkey: createXKey().publicKey }));
      const started = decodeJson((await friend.request(subjects.catalog(CATALOG, 'download'), body, { timeout: REPLY_TIMEOUT_MS })).data) as Envelope<DownloadReply>;
      if (started.code !== 200 || !started.data) throw new Error(`download refused: ${started.code} ${started.error}`);
      const id = started.data.transfer_id;
      const refused = expectedRefusal(TransferAck, c.body);
      // A valid ack may rightly be answered by nothing (a cancel): wait less for those.
      const first = new Promise<Msg | null>((resolve) => {
        const sub = friend.subscribe(subjects.media(CATALOG, id), { max: 1, callback: (_e, m) => resolve(m) });
        setTimeout(() => (sub.unsubscribe(), resolve(null)), refused === null ? 1_000 : REPLY_TIMEOUT_MS);
      });
      await friend.flush();
      friend.publish(subjects.transferAck(CATALOG, id), c.body);
      const msg = await first;
      const endCode = msg?.headers?.get(TransferHeaders.end);
      const outcome: Outcome = { subject: subjects.transferAck(CATALOG, id), case: c.name, code: msg === null ? 'timeout' : endCode ? Number(endCode) : 200 };
      if (endCode) outcome.error = TransferEnd.decode(msg!.data).reason;
      outcomes.push(outcome);
      const ok = refused === null ? outcome.code === 'timeout' || (typeof outcome.code === 'number' && outcome.code < 500) : outcome.code === 400;
      if (!ok) bad.push(outcome);
      friend.publish(subjects.transferAck(CATALOG, id), new TextEncoder().encode(JSON.stringify({ next: 0, high: 0, last: -1, missing: [], cancel: true })));
    });
    expect(bad).toEqual([]);
  });

  it('chunker stop: malformed stops are ignored, and a friend still downloads the file whole afterwards', async () => {
    for (const c of mutations({ catalog: CATALOG, account: friendAccount, reason: 'fuzz' }, ChunkerStop.schema)) {
      if (expectedRefusal(ChunkerStop, c.body) === null) continue; // a valid stop would (rightly) stop the friend's transfers
      owner.publish(subjects.chunker('stop'), c.body);
      outcomes.push({ subject: subjects.chunker('stop'), case: c.name, code: 0 });
    }
    await owner.flush();
    const download = await openDownload(friend, { catalog: CATALOG, hashOrPath: FILE });
    const parts: Uint8Array[] = [];
    for await (const chunk of download.chunks) parts.push(chunk);
    expect(Buffer.compare(Buffer.concat(parts), BYTES)).toBe(0);
  });
});
