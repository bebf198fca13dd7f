import {
  Codes,
  ContextGetReply,
  EventsPutReply,
  GlobalOps,
  HeartbeatOfflineReply,
  HeartbeatReply,
  MySharesReply,
  NatsterError,
  NatsterEvent,
  OtcClaimReply,
  OtcGenerateReply,
  StatsReply,
  ValidateCatalogNameReply,
  WhoamiReply,
  subjects,
  type EventType,
  type HeartbeatOfflineRequest,
  type HeartbeatRequest,
  type OtcGenerateRequest,
} from '@natster/protocol';
import { call, decodeJson, type Msg, type NatsConnection } from '@natster/nats';

const OFFLINE = 'the global service is not answering: is the hub running (`natster hub status`)?';

/** A live subscription to the caller's event feed; stop() ends the iteration. */
export interface EventWatch extends AsyncIterable<NatsterEvent> {
  stop(): void;
}

/** The caller's side of `natster.global.*` and of its live event feed. */
export class GlobalClient {
  constructor(
    private readonly nc: NatsConnection,
    private readonly timeout = 10_000,
  ) {}

  private get options() {
    return { timeout: this.timeout, offline: OFFLINE };
  }

  /** Across an account import a stopped service shows as a timeout, not "no responders": say the same thing for both. */
  private async guard<T>(reply: Promise<T>): Promise<T> {
    try {
      return await reply;
    } catch (err) {
      if (err instanceof NatsterError && err.code === Codes.timeout) {
        throw new NatsterError(Codes.unavailable, `${OFFLINE} (no reply within ${this.timeout} ms)`, { cause: err });
      }
      throw err;
    }
  }

  /** Appends an event about this account (build it with `newEvent`); retries de-duplicate on its id. */
  putEvent(event: NatsterEvent): Promise<EventsPutReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.eventsPut), event, EventsPutReply, this.options));
  }

  /**
   * putEvent, sent again (the same event) when the global service does not
   * answer in time. The log appends an event id once, so a first try that
   * was applied late is not applied twice, and a later try's answer tells
   * whether it is in the log. `onRetry` says so to the user.
   */
  async putEventRetrying(event: NatsterEvent, onRetry: (attempt: number, of: number) => void = () => undefined, attempts = 3): Promise<EventsPutReply> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.putEvent(event);
      } catch (err) {
        const timedOut = err instanceof NatsterError && err.cause instanceof NatsterError && err.cause.code === Codes.timeout;
        if (!timedOut || attempt >= attempts) throw err;
        onRetry(attempt, attempts);
      }
    }
  }

  /** Tells the global service a catalog of this account is online at `revision`. */
  heartbeat(body: HeartbeatRequest): Promise<HeartbeatReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.heartbeatsPut), body, HeartbeatReply, this.options));
  }

  /** Tells the global service a catalog of this account stopped (a clean stop): it goes offline at once. */
  heartbeatOffline(body: HeartbeatOfflineRequest): Promise<HeartbeatOfflineReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.heartbeatsOffline), body, HeartbeatOfflineReply, this.options));
  }

  stats(): Promise<StatsReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.stats), {}, StatsReply, this.options));
  }

  /** Every share this account takes part in, shared by it and shared with it. */
  async myShares(): Promise<MySharesReply['shares']> {
    return (await this.guard(call(this.nc, subjects.global(GlobalOps.myShares), {}, MySharesReply, this.options))).shares;
  }

  /** Mints a single-use sign-in code bound to this context and the sealed portal payload. */
  otcGenerate(body: OtcGenerateRequest): Promise<OtcGenerateReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.otcGenerate), body, OtcGenerateReply, this.options));
  }

  /** Portal only: exchanges a code for its payload, once. */
  otcClaim(code: string): Promise<OtcClaimReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.otcClaim), { code }, OtcClaimReply, this.options));
  }

  whoami(): Promise<WhoamiReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.whoami), {}, WhoamiReply, this.options));
  }

  /** Portal only: what the global service knows about `account`. */
  contextGet(account: string): Promise<ContextGetReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.contextGet), { account }, ContextGetReply, this.options));
  }

  /** Resolves for a usable catalog name; NatsterError 400 (malformed) or 409 (already shared). */
  validateCatalogName(name: string): Promise<ValidateCatalogNameReply> {
    return this.guard(call(this.nc, subjects.global(GlobalOps.validateCatalogName), { name }, ValidateCatalogNameReply, this.options));
  }

  /**
   * Live events that concern this account (`natster.global-events.>`), or only
   * the given types. Malformed messages are skipped. The subscription is
   * active when this returns; call flush() on the connection to be sure the
   * server has it before triggering events.
   */
  watchEvents(types?: EventType[]): EventWatch {
    const queue: NatsterEvent[] = [];
    const waiter: { wake: (() => void) | null } = { wake: null };
    let stopped = false;
    const onMessage = (err: Error | null, msg: Msg) => {
      if (err) return;
      try {
        queue.push(NatsterEvent.check(decodeJson(msg.data)));
      } catch {
        return; // not an event: skip it
      }
      waiter.wake?.();
    };
    const subs = (types?.length ? types : ['>']).map((t) => this.nc.subscribe(subjects.globalEvents(t), { callback: onMessage }));
    const stop = () => {
      stopped = true;
      for (const sub of subs) sub.unsubscribe();
      waiter.wake?.();
    };
    // a closed connection ends the watch instead of leaving the iterator waiting forever
    void Promise.all(subs.map((sub) => sub.closed)).then(stop);
    return {
      stop,
      async *[Symbol.asyncIterator]() {
        try {
          while (!stopped || queue.length > 0) {
            const next = queue.shift();
            if (next) {
              yield next;
              continue;
            }
            await new Promise<void>((resolve) => (waiter.wake = resolve));
            waiter.wake = null;
          }
        } finally {
          stop();
        }
      },
    };
  }
}
