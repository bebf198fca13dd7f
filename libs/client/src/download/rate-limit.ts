import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Paces a consumer to at most `bytesPerSecond` (like curl's --limit-rate).
 * Flow control does the rest: a slow consumer acks slowly, so the sender
 * slows down too instead of filling buffers. Time spent waiting for data
 * (an outage) earns no burst afterwards.
 */
export function ratePacer(bytesPerSecond: number | undefined, signal?: AbortSignal): (bytes: number) => Promise<void> {
  if (!bytesPerSecond) return async () => {};
  let due = Date.now();
  return async (bytes) => {
    due = Math.max(due, Date.now()) + (bytes / bytesPerSecond) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait, undefined, signal ? { signal } : {});
  };
}
