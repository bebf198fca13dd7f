import { connect as tcpConnect } from 'node:net';
import { fromSeed } from 'nkeys.js';
import { parseCreds } from '@natster/claims';

/**
 * What a nats-server answers to one connection attempt with these creds:
 * 'accepted', or its -ERR text (e.g. "maximum account active connections
 * exceeded", "authorization violation"). nats.js only times out on a
 * refused limit, so refusal tests speak the client protocol themselves.
 * The socket stays open on 'accepted' until `close` is called, so it
 * counts against the account's connection limit.
 */
export interface ConnectVerdict {
  verdict: string;
  /**
   * Sends client protocol lines (e.g. `SUB natster.> 1`, or `PUB x 0` and
   * its empty payload ``), then a PING. Resolves with the server's first
   * -ERR for them, lowercased (e.g. `permissions violation for subscription
   * to "natster.>"`, "maximum subscriptions exceeded"), or 'ok' when the
   * server answered the PING without one. The server answers in order, so
   * 'ok' is a verdict, not a timeout.
   */
  send(...lines: string[]): Promise<string>;
  close(): void;
}

const CRLF = '\r\n';

export function connectVerdict(url: string, creds: string, timeoutMs = 3000): Promise<ConnectVerdict> {
  const { hostname, port } = new URL(url);
  const { jwt, seed } = parseCreds(creds);
  const socket = tcpConnect({ host: hostname, port: Number(port) });
  const close = () => socket.destroy();
  // one waiter per PING sent: the -ERRs before its PONG belong to it
  const waiting: { errors: string[]; settle(verdict: string): void }[] = [];
  let buffer = Buffer.alloc(0);

  const send = (...lines: string[]) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not answer ${JSON.stringify(lines[0])}`)), Math.max(timeoutMs, 10_000));
      waiting.push({ errors: [], settle: (verdict) => (clearTimeout(timer), resolve(verdict)) });
      socket.write([...lines, 'PING', ''].join(CRLF));
    });

  /** The next protocol line, skipping message payloads; null until a whole one has arrived. */
  const nextLine = (): string | null => {
    const end = buffer.indexOf(CRLF);
    if (end < 0) return null;
    const line = buffer.subarray(0, end).toString('utf8');
    const msg = /^H?MSG \S+ \S+ (?:\S+ )?(?:\d+ )?(\d+)$/.exec(line);
    const skip = msg ? Number(msg[1]) + CRLF.length : 0;
    if (buffer.length < end + CRLF.length + skip) return null;
    buffer = buffer.subarray(end + CRLF.length + skip);
    return line;
  };

  return new Promise<ConnectVerdict>((resolve, reject) => {
    let greeted = false;
    const timer = setTimeout(() => (close(), reject(new Error('the server did not answer the connect'))), timeoutMs);
    const connected = (verdict: string) => (clearTimeout(timer), resolve({ verdict: verdict === 'ok' ? 'accepted' : verdict, send, close }));
    socket.on('error', (err) => (clearTimeout(timer), reject(err)));
    socket.on('close', () => {
      for (const w of waiting.splice(0)) w.settle(w.errors[0] ?? 'connection closed');
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let line = nextLine(); line !== null; line = nextLine()) {
        const info = /^INFO (\{.*\}) *$/.exec(line);
        const err = /^-ERR '([^']*)'/.exec(line);
        if (info && !greeted) {
          greeted = true;
          const { nonce } = JSON.parse(info[1]!) as { nonce?: string };
          const sig = nonce ? Buffer.from(fromSeed(new TextEncoder().encode(seed)).sign(new TextEncoder().encode(nonce))).toString('base64url') : undefined;
          const connect = { verbose: false, pedantic: false, protocol: 1, headers: true, no_responders: true, jwt, ...(sig ? { sig } : {}), name: 'connect-verdict' };
          waiting.push({ errors: [], settle: connected });
          socket.write(`CONNECT ${JSON.stringify(connect)}${CRLF}PING${CRLF}`);
        } else if (line === 'PING') {
          socket.write(`PONG${CRLF}`);
        } else if (line === 'PONG') {
          const w = waiting.shift();
          w?.settle(w.errors[0] ?? 'ok');
        } else if (err && waiting[0]) {
          const verdict = err[1]!.toLowerCase();
          // a refused connect gets no PONG: the server closes it
          if (waiting[0].settle === connected) waiting.shift()!.settle(verdict);
          else waiting[0].errors.push(verdict);
        }
      }
    });
  });
}
