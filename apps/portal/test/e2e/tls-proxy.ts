import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@natster/testing';

const run = promisify(execFile);

/** A throwaway self-signed certificate for these IP addresses, made with openssl. */
export async function selfSignedCert(ips: string[]): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'natster-proxy-cert-'));
  try {
    const [certPath, keyPath] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', `/CN=${ips[0]}`, '-addext', `subjectAltName=${ips.map((ip) => `IP:${ip}`).join(',')}`, '-keyout', keyPath, '-out', certPath]);
    return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface HttpsServer {
  url: string;
  stop(): Promise<void>;
}

/** An https server on `host` and a free port. */
export async function listenHttps(host: string, tls: ServerOptions, handler: Parameters<typeof createServer>[1]): Promise<HttpsServer> {
  const server: Server = createServer(tls, handler);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    url: `https://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A TLS-terminating reverse proxy like the one an owner puts in front of the
 * portal: streams request and response bodies both ways, unbuffered, and
 * passes the browser's headers (Host included) as they are. Like nginx's
 * defaults it adds no X-Forwarded-*, so nothing may depend on them.
 */
export function startTlsProxy(host: string, tls: ServerOptions, target: string): Promise<HttpsServer> {
  const upstream = new URL(target);
  return listenHttps(host, tls, (req, res) => {
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
    // the browser went away (a seek, a closed event stream): so does the upstream request
    res.on('close', () => forward.destroy());
    req.pipe(forward);
  });
}
