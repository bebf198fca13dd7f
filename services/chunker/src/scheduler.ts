import type { TransferAck } from '@natster/protocol';
import { Transfer, type AckOutcome, type TransferPlan } from './transfer';

export interface SchedulerOptions {
  /** Chunks in flight per transfer. */
  window: number;
  /** Chunks in flight across all transfers of the chunker, shared fairly by the downloading accounts. */
  budget: number;
  /** A transfer whose receiver sent no ack for this long is abandoned. */
  idleTimeoutMs: number;
  /** Resend what stays unacknowledged this long (probes of a silent receiver start here and double). */
  retransmitAfterMs: number;
}

/** One chunk to seal and publish. */
export interface Work {
  transfer: Transfer;
  index: number;
  resend: boolean;
}

export interface SchedulerCounters {
  retransmits: number;
  completed: number;
  abandoned: number;
  stopped: number;
}

/**
 * Decides what the chunker sends next (no I/O, no timers: the caller passes
 * the clock). Every downloading account gets an equal share of the budget,
 * so receivers that ack once and go quiet hold at most their own share and
 * a newcomer always has room at once; within its share an account's
 * transfers take turns, and a transfer with nothing in flight may always
 * send one chunk (a stuck download of an account does not block its next
 * one). When a new account arrives, accounts already above the new share
 * send nothing fresh until their receivers consume, so the total may exceed
 * the budget by about the newcomer's share for a while.
 */
export class Scheduler {
  readonly counters: SchedulerCounters = { retransmits: 0, completed: 0, abandoned: 0, stopped: 0 };
  private readonly running = new Map<string, Transfer>();
  private readonly byAccount = new Map<string, Set<Transfer>>();

  constructor(private readonly options: SchedulerOptions) {}

  get size(): number {
    return this.running.size;
  }

  transfers(): Transfer[] {
    return [...this.running.values()];
  }

  get(id: string): Transfer | undefined {
    return this.running.get(id);
  }

  add(plan: TransferPlan, now: number): Transfer {
    const transfer = new Transfer(plan, this.options.window, now);
    this.running.set(plan.id, transfer);
    const mine = this.byAccount.get(transfer.account) ?? new Set();
    this.byAccount.set(transfer.account, mine.add(transfer));
    return transfer;
  }

  /** Forgets a transfer (its share goes back to the others); false if it was not running. */
  remove(id: string): boolean {
    const transfer = this.running.get(id);
    if (!transfer) return false;
    this.running.delete(id);
    const mine = this.byAccount.get(transfer.account)!;
    mine.delete(transfer);
    if (mine.size === 0) this.byAccount.delete(transfer.account);
    return true;
  }

  /** Applies an ack; a finished or cancelled transfer is removed. */
  onAck(id: string, ack: TransferAck, now: number): AckOutcome | null {
    const transfer = this.running.get(id);
    if (!transfer) return null;
    const outcome = transfer.onAck(ack, now);
    if (outcome === 'done') this.counters.completed++;
    if (outcome === 'cancelled') this.counters.stopped++;
    if (outcome === 'done' || outcome === 'cancelled') this.remove(id);
    return outcome;
  }

  /** Queues overdue resends and removes transfers whose receivers went silent; returns those. */
  tick(now: number): Transfer[] {
    const silent: Transfer[] = [];
    for (const transfer of this.running.values()) {
      if (now - transfer.lastAckAt > this.options.idleTimeoutMs) silent.push(transfer);
      else transfer.resendStale(now, this.options.retransmitAfterMs);
    }
    for (const transfer of silent) this.remove(transfer.plan.id);
    this.counters.abandoned += silent.length;
    return silent;
  }

  /** Chunks each account may have in flight now. */
  share(): number {
    return Math.max(1, Math.floor(this.options.budget / Math.max(1, this.byAccount.size)));
  }

  /** Everything that may be sealed now, one chunk per transfer in turn. */
  takeAll(): Work[] {
    const work: Work[] = [];
    const share = this.share();
    const inFlight = new Map([...this.byAccount].map(([account, mine]) => [account, sumOutstanding(mine)]));
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const transfer of this.running.values()) {
        const used = inFlight.get(transfer.account)!;
        const next = transfer.take(used < share || transfer.outstanding === 0);
        if (!next) continue;
        progressed = true;
        if (next.resend) this.counters.retransmits++;
        else inFlight.set(transfer.account, used + 1);
        work.push({ transfer, ...next });
      }
    }
    return work;
  }
}

function sumOutstanding(transfers: Set<Transfer>): number {
  let sum = 0;
  for (const transfer of transfers) sum += transfer.outstanding;
  return sum;
}
