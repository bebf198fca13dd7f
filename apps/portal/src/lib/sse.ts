/** Server-sent events over fetch: works wherever fetch streams do (browsers, tests). */

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** Encodes one event for an SSE response body. */
export function encodeEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Reads events until the stream ends or the signal aborts. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: ServerSentEvent) => void, signal?: AbortSignal): Promise<void> {
  const reader = body.pipeThrough<string>(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  const abort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', abort, { once: true });
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n/g, '\n');
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const parsed = parseBlock(block);
        if (parsed) onEvent(parsed);
      }
    }
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}

function parseBlock(block: string): ServerSentEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length ? { event, data: data.join('\n') } : null;
}
