import { randomBytes } from 'node:crypto';
import { GlobalClient, type EventWatch } from '@natster/client';
import { createLogger, decodeJson, type NatsConnection } from '@natster/nats';
import { newEvent, type EventType, type NatsterEvent } from '@natster/protocol';
import { startTestHub, type TestHub, type TestUser } from '@natster/testing';
import { Names, startGlobal, type GlobalHandle, type GlobalOptions } from '../src/index';
import { openEvent } from '../src/personal-data';

export interface Fixture {
  th: TestHub;
  dataKey: Uint8Array;
  /** Starts one more global instance on its own NATSTER_GLOBAL connection. */
  startInstance(overrides?: Partial<GlobalOptions>): Promise<GlobalHandle>;
  /** Connection and client of the global account itself (to inspect its JetStream state). */
  globalNc: NatsConnection;
  authority: GlobalClient;
  portal: GlobalClient;
  user(name: string): Promise<{ user: TestUser; nc: NatsConnection; client: GlobalClient }>;
  stop(): Promise<void>;
}

/**
 * Short enough for tests to see catalogs go offline, long enough that a
 * loaded 2-core machine never misses a 3-period (6 s) window by accident.
 */
export const HEARTBEAT_PERIOD_MS = 2000;
/** Long enough that a fresh code is never refused because the machine stalled. */
export const OTC_MAX_AGE_MS = 5000;

/**
 * A real hub with one global service running in-process (short heartbeat
 * period and code lifetime). With `hub`, the services run on that hub
 * (beside others a test started there), and stop() leaves it running.
 */
export async function startFixture(options: { instances?: number; overrides?: Partial<GlobalOptions>; hub?: TestHub } = {}): Promise<Fixture> {
  const th = options.hub ?? (await startTestHub());
  const dataKey = randomBytes(32);
  const handles: GlobalHandle[] = [];
  const info = th.hub.info;
  const startInstance = async (overrides: Partial<GlobalOptions> = {}) => {
    const nc = await th.connectAs('NATSTER_GLOBAL', 'global');
    const handle = await startGlobal({
      nc,
      portalUrl: info.portal_url,
      portalAccount: info.accounts.PORTAL,
      authorityAccount: info.accounts.AUTHORITY,
      dataKey,
      heartbeatPeriodMs: HEARTBEAT_PERIOD_MS,
      otcMaxAgeMs: OTC_MAX_AGE_MS,
      logger: createLogger('global', { level: 'error' }),
      ...overrides,
    } as GlobalOptions);
    handles.push(handle);
    return handle;
  };
  // instances start at the same time, as several copies under a supervisor would
  await Promise.all(Array.from({ length: options.instances ?? 1 }, () => startInstance(options.overrides)));
  const [globalNc, authorityNc, portalNc] = await Promise.all([th.connectAs('NATSTER_GLOBAL', 'inspector'), th.connectAs('AUTHORITY'), th.connectAs('PORTAL')]);
  return {
    th,
    dataKey,
    startInstance,
    globalNc,
    authority: new GlobalClient(authorityNc),
    portal: new GlobalClient(portalNc),
    async user(name) {
      const user = await th.createUser(name);
      const nc = await user.connect();
      return { user, nc, client: new GlobalClient(nc) };
    },
    async stop() {
      await Promise.allSettled(handles.map((h) => h.stop()));
      await Promise.allSettled([globalNc, authorityNc, portalNc].map((nc) => nc.close()));
      if (!options.hub) await th.stop();
    },
  };
}

/** What the authority writes when it completes a signup. */
export function initialized(account: string, displayName?: string): NatsterEvent {
  return newEvent('natster_initialized', account, displayName ? { details: { display_name: displayName } } : {});
}

export function shareEvent(type: EventType, origin: string, target: string, catalog: string): NatsterEvent {
  return newEvent(type, origin, { target, catalog });
}

/** Every event in the global service's log, oldest first, with personal details opened. */
export async function loggedEvents(f: Pick<Fixture, 'globalNc' | 'dataKey'>): Promise<NatsterEvent[]> {
  const jsm = await f.globalNc.jetstreamManager();
  const { state } = await jsm.streams.info(Names.stream);
  const events: NatsterEvent[] = [];
  for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
    const msg = await jsm.streams.getMessage(Names.stream, { seq });
    events.push(openEvent(f.dataKey, decodeJson(msg.data) as NatsterEvent));
  }
  return events;
}

/** Collects everything a watch yields, in the background, into the returned array. */
export function collect(watch: EventWatch): NatsterEvent[] {
  const events: NatsterEvent[] = [];
  void (async () => {
    for await (const e of watch) events.push(e);
  })();
  return events;
}

/** Polls until `probe` returns a value that satisfies `ok`, within a bound generous enough for a loaded machine. */
export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
