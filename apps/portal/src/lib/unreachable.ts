import { PortalApiError } from './fetch-json';

/** Which part of Natster did not answer (the `reason` of a 503 from the portal's API). */
export const Unreachable = {
  /** The owner's catalog server is not running. */
  catalogOffline: 'catalog_offline',
  /** The hub's global service is not answering (nobody can tell whether a catalog is online). */
  globalDown: 'global_down',
} as const;
export type UnreachableReason = (typeof Unreachable)[keyof typeof Unreachable];

/** What the offline state shows: which part is missing, in the portal's words. */
export interface UnreachableProblem {
  reason: UnreachableReason;
  message: string;
}

const REASONS: readonly string[] = Object.values(Unreachable);
export const isUnreachableReason = (value: unknown): value is UnreachableReason => typeof value === 'string' && REASONS.includes(value);

/** The offline problem behind a failed API call, or null for any other failure. */
export function unreachableOf(error: unknown): UnreachableProblem | null {
  return error instanceof PortalApiError && isUnreachableReason(error.reason) ? { reason: error.reason, message: error.message } : null;
}
