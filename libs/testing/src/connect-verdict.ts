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
  close(): void;
}

export function connectVerdict(url: string, creds: string, timeoutMs = 3000): Promise<ConnectVerdict> {
  const { hostname, port } = new URL(url);
  const { jwt, seed } = parseCreds(creds);
  const socket = tcpConnect({ host: hostname, port: Number(port) });
  const close = () => socket.destroy();
  return new Promise((resolve, reject) => {
    let buffer = '';
    let greeted = false;
    const timer = setTimeout(() => (close(), reject(new Error('the server did not answer the connect'))), timeoutMs);
    const done = (verdict: string) => (clearTimeout(timer), resolve({ verdict, close }));
    socket.on('error', (err) => (clearTimeout(timer), reject(err)));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const info = /^INFO (\{.*\}) *\r\n/.exec(buffer);
      if (info && !greeted) {
        greeted = true;
        buffer = buffer.slice(info[0].length);
        const { nonce } = JSON.parse(info[1]!) as { nonce?: string };
        const sig = nonce ? Buffer.from(fromSeed(new TextEncoder().encode(seed)).sign(new TextEncoder().encode(nonce))).toString('base64url') : undefined;
        const connect = { verbose: false, pedantic: false, protocol: 1, headers: true, no_responders: true, jwt, ...(sig ? { sig } : {}), name: 'connect-verdict' };
        socket.write(`CONNECT ${JSON.stringify(connect)}\r\nPING\r\n`);
      }
      const err = /-ERR '([^']*)'/.exec(buffer);
      if (err) return done(err[1]!.toLowerCase());
      if (buffer.includes('PONG')) done('accepted');
    });
  });
}
