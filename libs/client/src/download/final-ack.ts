import type { NatsConnection } from '@natster/nats';

/**
 * Sends the final ack (every chunk received) as a request and repeats it
 * until the sender answers (a TransferEnd of code 200) or `tries` run out,
 * so a lost final ack never leaves the sender resending to a receiver that
 * finished. `dropFirst` is the test switch that loses the first copy.
 * Resolves true once answered.
 */
export async function confirmCompletion(
  nc: NatsConnection,
  subject: string,
  body: Uint8Array,
  options: { timeoutMs: number; tries: number; dropFirst?: boolean },
): Promise<boolean> {
  for (let attempt = 0; attempt < options.tries; attempt++) {
    try {
      if (attempt === 0 && options.dropFirst) throw new Error('dropped by the test switch');
      await nc.request(subject, body, { timeout: options.timeoutMs });
      return true;
    } catch (error) {
      // Nobody listens any more (the sender already freed the transfer), or the connection closed: stop asking.
      if ((error as { code?: string }).code === '503' || nc.isClosed()) return false;
      if (attempt === 0 && options.dropFirst) await new Promise((resolve) => setTimeout(resolve, options.timeoutMs));
    }
  }
  return false;
}
