import { encodeEvent } from '@/lib/sse';
import { signedInOrNull, unauthorized } from '@/server/current-session';
import { sessionFeed } from '@/server/event-feed';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

const KEEPALIVE_MS = 15_000;
const enc = new TextEncoder();

/** Server-sent events: the session's `natster.global-events.>`, as they happen. */
export async function GET(request: Request) {
  const signedIn = await signedInOrNull();
  if (!signedIn) return unauthorized();
  const feed = sessionFeed(signedIn.session.id, signedIn.nc);
  let end = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(enc.encode(text));
        } catch {
          end();
        }
      };
      send(': connected\n\n');
      const unlisten = feed.listen((event) => send(encodeEvent('natster', event)));
      const keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
      end = () => {
        unlisten();
        clearInterval(keepalive);
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      request.signal.addEventListener('abort', () => end(), { once: true });
      void signedIn.nc.closed().then(() => end());
    },
    cancel: () => end(),
  });
  return new Response(body, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' },
  });
}
