import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as dial } from 'node:net';
import { connect as startTls } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubAccounts, credsPath, ensureNatsServer, initHub, issueServerCert, makeCa, readHubInfo, renewHubTls, startNatsServer, writeSecret } from '@natster/hub';
import { connectNatster } from '@natster/nats';
import { freePort, startTestHub, type TestHub } from '@natster/testing';

/** When the certificate nats-server serves right now expires: INFO in clear, then the TLS upgrade (as every NATS client does). */
async function servedNotAfter(port: number, ca: string): Promise<number> {
  const socket = dial(port, '127.0.0.1');
  await once(socket, 'data');
  const tls = startTls({ socket, ca, host: '127.0.0.1' });
  await once(tls, 'secureConnect');
  const validTo = tls.getPeerCertificate().valid_to;
  tls.destroy();
  return Date.parse(validTo);
}

const refusal = (p: Promise<unknown>): Promise<Error> => p.then(() => new Error('connected'), (err: Error) => err);

describe('a public hub (--public): TLS required on every interface', () => {
  let th: TestHub;
  beforeAll(async () => {
    th = await startTestHub({ demoCatalog: null, publicHosts: ['127.0.0.2'] });
  });
  afterAll(async () => th?.stop());

  it('serves clients that pin its CA, on the public address and on loopback', async () => {
    const tls = th.hub.info.tls!;
    expect(th.hub.info.host).toBe('0.0.0.0');
    expect(th.url).toBe(`tls://127.0.0.1:${th.hub.info.port}`);
    expect(tls.public_urls).toEqual([`tls://127.0.0.2:${th.hub.info.port}`]);
    expect(await readFile(th.hub.layout.config, 'utf8')).toContain(`cert_file: "${tls.cert_file}"`);
    for (const servers of [tls.public_urls[0]!, th.url]) {
      const nc = await connectNatster({ servers, caFile: tls.ca_file!, credsPath: credsPath(th.hub.layout, HubAccounts.hub), name: 'tls-ok', failFast: true });
      expect(nc.info?.tls_required).toBe(true);
      await nc.close();
    }
  });

  it('refuses a plain nats:// client, and a client pinned to another CA, saying what to do', async () => {
    const creds = credsPath(th.hub.layout, HubAccounts.hub);
    const plain = await refusal(connectNatster({ servers: `nats://127.0.0.2:${th.hub.info.port}`, credsPath: creds, name: 'plain', failFast: true }));
    expect(plain.message).toMatch(/this hub requires TLS .*tls:\/\/ URL and the hub's CA file/);

    const otherCa = join(th.dir, 'other-ca.pem');
    await writeFile(otherCa, (await makeCa('somebody else')).cert);
    const pinned = await refusal(connectNatster({ servers: th.hub.info.tls!.public_urls[0]!, caFile: otherCa, credsPath: creds, name: 'other-ca', failFast: true }));
    expect(pinned.message).toMatch(/TLS certificate is not trusted .*does not chain to the CA this context pins/);
  });

  it('reissues a certificate close to expiry on the next `hub up`, keeping the CA', async () => {
    const { layout, info } = th.hub;
    const ca = { cert: await readFile(info.tls!.ca_file!, 'utf8'), key: await readFile(join(layout.tls, 'ca-key.pem'), 'utf8') };
    const old = await issueServerCert(ca, ['127.0.0.2', 'localhost', '127.0.0.1'], new Date(), 10);
    await writeSecret(info.tls!.cert_file, old.cert);
    const again = await initHub(layout.dir);
    const daysLeft = (Date.parse(again.info.tls!.not_after) - Date.now()) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(89);
    expect(await readFile(again.info.tls!.cert_file, 'utf8')).not.toBe(old.cert);
    expect(await readFile(again.info.tls!.ca_file!, 'utf8')).toBe(ca.cert);
    expect((await readHubInfo(layout.info))?.tls?.public_hosts).toEqual(['127.0.0.2']);
  });

  it('the supervisor’s daily check renews a due certificate, and SIGHUP makes nats-server serve it', async () => {
    const { layout, info } = th.hub;
    const caPem = await readFile(info.tls!.ca_file!, 'utf8');
    expect(await renewHubTls(layout)).toBeNull();
    const ca = { cert: caPem, key: await readFile(join(layout.tls, 'ca-key.pem'), 'utf8') };
    const due = await issueServerCert(ca, ['127.0.0.2', 'localhost', '127.0.0.1'], new Date(), 10);
    await writeSecret(info.tls!.key_file, due.key);
    await writeSecret(info.tls!.cert_file, due.cert);
    process.kill(th.server.pid, 'SIGHUP');
    await expect.poll(() => servedNotAfter(info.port, caPem), { timeout: 5000 }).toBeLessThan(Date.now() + 11 * 86_400_000);

    const renewed = await renewHubTls(layout);
    expect(Date.parse(renewed!.not_after)).toBeGreaterThan(Date.now() + 89 * 86_400_000);
    expect((await readHubInfo(layout.info))?.tls?.not_after).toBe(renewed!.not_after);
    process.kill(th.server.pid, 'SIGHUP');
    await expect.poll(() => servedNotAfter(info.port, caPem), { timeout: 5000 }).toBeGreaterThan(Date.now() + 89 * 86_400_000);
  });
});

describe('a public hub with the owner’s certificate (--tls-cert/--tls-key)', () => {
  let dir: string;
  afterAll(async () => dir && rm(dir, { recursive: true, force: true }));

  it('serves that certificate, pins no CA of its own, and its services dial the public name', async () => {
    dir = await mkdtemp(join(tmpdir(), 'natster-own-cert-'));
    const ownerCa = await makeCa('a CA the owner trusts');
    const own = await issueServerCert(ownerCa, ['127.0.0.3']);
    await writeFile(join(dir, 'ca.pem'), ownerCa.cert);
    await writeFile(join(dir, 'cert.pem'), own.cert);
    await writeSecret(join(dir, 'key.pem'), own.key);
    const port = await freePort();
    const hub = await initHub(join(dir, 'hub'), { port, httpPort: await freePort(), publicHosts: ['127.0.0.3'], ownCert: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
    expect(hub.info.tls?.ca_file).toBeUndefined();
    expect(hub.info.url).toBe(`tls://127.0.0.3:${port}`);
    expect(await readFile(hub.info.tls!.cert_file, 'utf8')).toBe(own.cert);
    // a later run without the flags keeps the owner's certificate
    expect((await initHub(hub.layout.dir)).info.tls).toEqual(hub.info.tls);

    const server = await startNatsServer({ bin: ensureNatsServer(), config: hub.layout.config, httpPort: hub.info.http_port, logFile: join(hub.layout.logs, 'nats-server.log') });
    try {
      // the owner's CA stands in for the system roots a real certificate chains to
      const nc = await connectNatster({ servers: hub.info.url, caFile: join(dir, 'ca.pem'), credsPath: credsPath(hub.layout, HubAccounts.hub), name: 'own-cert', failFast: true });
      await nc.close();
      const untrusted = await refusal(connectNatster({ servers: hub.info.url, credsPath: credsPath(hub.layout, HubAccounts.hub), name: 'system-roots', failFast: true }));
      expect(untrusted.message).toMatch(/TLS certificate is not trusted/);
    } finally {
      await server.stop();
    }
  });
});
