import { once } from 'node:events';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { SERVER_VALID_DAYS, caFingerprint, issueServerCert, makeCa, needsRenewal, notAfter, subjectAltNames, type CertPair } from '@natster/hub';

const DAY_MS = 86_400_000;

/** A real TLS handshake to 127.0.0.1 with `server`, trusting only `ca`: resolves with node's verdict. */
async function handshake(server: CertPair, ca: string, host = '127.0.0.1'): Promise<{ authorized: boolean; error?: string }> {
  const srv = createServer({ cert: server.cert, key: server.key }, (socket) => socket.end());
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  try {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, ca, ...(host === '127.0.0.1' ? {} : { servername: host }) });
    return await new Promise((resolve) => {
      socket.once('secureConnect', () => (resolve({ authorized: socket.authorized }), socket.destroy()));
      socket.once('error', (err: NodeJS.ErrnoException) => resolve({ authorized: false, error: err.code ?? err.message }));
    });
  } finally {
    srv.close();
  }
}

describe('tls-certs', () => {
  it('issues a server certificate with the requested SANs, valid 90 days, that node accepts against the CA', async () => {
    const ca = await makeCa('test CA');
    const server = await issueServerCert(ca, ['hub.example.org', '127.0.0.2', 'localhost', '127.0.0.1']);
    expect(subjectAltNames(server.cert)).toEqual(['DNS:hub.example.org', 'IP Address:127.0.0.2', 'DNS:localhost', 'IP Address:127.0.0.1']);
    const days = (notAfter(server.cert).getTime() - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(SERVER_VALID_DAYS - 1);
    expect(days).toBeLessThanOrEqual(SERVER_VALID_DAYS);
    expect((notAfter(ca.cert).getTime() - Date.now()) / DAY_MS).toBeGreaterThan(3600);
    expect(caFingerprint(ca.cert)).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    expect(await handshake(server, ca.cert)).toEqual({ authorized: true });
    expect(await handshake(server, ca.cert, 'hub.example.org')).toEqual({ authorized: true });
  });

  it('is refused by a client that pins another CA, or dials a name the certificate lacks', async () => {
    const ca = await makeCa('hub CA');
    const server = await issueServerCert(ca, ['127.0.0.1']);
    expect(await handshake(server, (await makeCa('another CA')).cert)).toMatchObject({ authorized: false, error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(await handshake(server, ca.cert, 'elsewhere.example.org')).toMatchObject({ authorized: false, error: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('asks for renewal when fewer than 30 days are left', async () => {
    const ca = await makeCa('CA');
    const now = new Date();
    expect(needsRenewal((await issueServerCert(ca, ['localhost'], now)).cert, now)).toBe(false);
    expect(needsRenewal((await issueServerCert(ca, ['localhost'], now, 29)).cert, now)).toBe(true);
    expect(needsRenewal((await issueServerCert(ca, ['localhost'], now, 31)).cert, now)).toBe(false);
  });
});
