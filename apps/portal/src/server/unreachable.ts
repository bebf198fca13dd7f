import { Codes, NatsterError } from '@natster/protocol';
import type { UnreachableProblem, UnreachableReason } from '@/lib/unreachable';

/** A 503 that says which part is missing, so the browser can show the offline state and retry. */
export class UnreachableError extends NatsterError {
  override name = 'UnreachableError';
  constructor(
    readonly reason: UnreachableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(Codes.unavailable, message, options);
  }

  /** What a server component hands to the offline state. */
  get problem(): UnreachableProblem {
    return { reason: this.reason, message: this.message };
  }
}

export const isUnavailable = (err: unknown): err is NatsterError => err instanceof NatsterError && (err.code === Codes.unavailable || err.code === Codes.timeout);
