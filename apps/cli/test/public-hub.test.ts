import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NatsterContext } from '@natster/context';
import { caFingerprint, hubDown, issueServerCert, makeCa, readHubInfo, hubLayout, writeSecret, type HubStatus } from '@natster/hub';
import { freePort } from '@natster/testing';
import { json, runCli } from './run-cli';

/** Friends' addresses are emulated with loopback aliases (127.0.0.2, 127.0.0.3). */
describe('natster hub up --public: a TLS hub friends can dial', () => {
  let root: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'natster-public-hub-'));
    env = { NATSTER_HOME: join(root, 'home'), NATSTER_HUB_DIR: join(root, 'hub') };
  });
  afterAll(async () => {
    await hubDown(env.NATSTER_HUB_DIR!).catch(() => undefined);
    await hubDown(join(root, 'own-hub')).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('serves init, catalog ls and download over TLS, pinned to its own CA; status shows the URL, pin, expiry and invite-only signup', async () => {
    const [port, httpPort, portalPort] = [await freePort(), await freePort(), await freePort()];
    const up = await runCli(['hub', 'up', '--public', '127.0.0.2', '--port', String(port), '--http-port', String(httpPort), '--portal-port', String(portalPort)], env, 120_000);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain(`tls://127.0.0.1:${port}`);
    expect(await readFile(join(env.NATSTER_HUB_DIR!, 'nats-server.conf'), 'utf8')).toContain(`listen: "0.0.0.0:${port}"`);

    const status = json<HubStatus>(await runCli(['hub', 'status', '--json'], env));
    const info = (await readHubInfo(hubLayout(env.NATSTER_HUB_DIR!).info))!;
    expect(status.services.filter((s) => s.state === 'down')).toEqual([]);
    expect(status.tls?.public_urls).toEqual([`tls://127.0.0.2:${port}`]);
    expect(status.tls?.ca_fingerprint).toBe(caFingerprint(await readFile(info.tls!.ca_file!, 'utf8')));
    expect(Date.parse(status.tls!.not_after) - Date.now()).toBeGreaterThan(89 * 86_400_000);
    const table = (await runCli(['hub', 'status'], env)).stdout;
    expect(table).toContain(`tls://127.0.0.2:${port}`);
    expect(table).toContain(status.tls!.ca_fingerprint!);
    expect(status.signup).toBe('invite');
    expect(table).toContain('by invite only');

    const init = await runCli(['init', '--name', 'Ada', '--json'], env);
    expect(init.code, init.stderr).toBe(0);
    const context = JSON.parse(await readFile(join(env.NATSTER_HOME!, 'contexts', 'default.json'), 'utf8')) as NatsterContext;
    expect(context.hub_url).toBe(`tls://127.0.0.1:${port}`);
    expect(context.ca_path).toBe(join(env.NATSTER_HOME!, 'contexts', 'default.ca.pem'));
    expect(await readFile(context.ca_path!, 'utf8')).toBe(await readFile(info.tls!.ca_file!, 'utf8'));

    // a friend elsewhere dials the public address with the same CA
    await writeFile(join(env.NATSTER_HOME!, 'contexts', 'default.json'), JSON.stringify({ ...context, hub_url: `tls://127.0.0.2:${port}` }));
    const rows = json<{ catalog: string }[]>(await runCli(['catalog', 'ls', '--json'], env));
    expect(rows.map((r) => r.catalog)).toContain(info.demo_catalog);
    const out = join(root, 'README.txt');
    const download = await runCli(['catalog', 'download', info.demo_catalog, 'README.txt', out, '--json'], env);
    expect(download.code, download.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('Welcome to Natster');

    // without the pinned CA the same context is refused, saying why
    await writeFile(join(env.NATSTER_HOME!, 'contexts', 'default.json'), JSON.stringify({ ...context, ca_path: undefined }));
    const unpinned = await runCli(['catalog', 'ls'], env);
    expect(unpinned.code).not.toBe(0);
    expect(unpinned.stderr).toMatch(/TLS certificate is not trusted/);
  });

  it('uses the owner’s certificate with --tls-cert/--tls-key', async () => {
    const ownerCa = await makeCa('owner CA');
    const cert = await issueServerCert(ownerCa, ['127.0.0.3']);
    await writeFile(join(root, 'owner-ca.pem'), ownerCa.cert);
    await writeFile(join(root, 'cert.pem'), cert.cert);
    await writeSecret(join(root, 'key.pem'), cert.key);
    // the owner's CA stands in for the system roots a bought certificate chains to
    const own = { ...env, NATSTER_HUB_DIR: join(root, 'own-hub'), NATSTER_HOME: join(root, 'own-home'), NODE_EXTRA_CA_CERTS: join(root, 'owner-ca.pem') };
    const [port, httpPort, portalPort] = [await freePort(), await freePort(), await freePort()];
    const up = await runCli(['hub', 'up', '--public', '127.0.0.3', '--tls-cert', join(root, 'cert.pem'), '--tls-key', join(root, 'key.pem'), '--port', String(port), '--http-port', String(httpPort), '--portal-port', String(portalPort)], own, 120_000);
    expect(up.code, up.stderr).toBe(0);
    const status = json<HubStatus>(await runCli(['hub', 'status', '--json'], own));
    expect(status.url).toBe(`tls://127.0.0.3:${port}`);
    expect(status.tls).toMatchObject({ public_urls: [`tls://127.0.0.3:${port}`] });
    expect(status.tls?.ca_fingerprint).toBeUndefined();
    expect(status.services.filter((s) => s.state === 'down')).toEqual([]);
    const init = await runCli(['init', '--name', 'Bea', '--json'], own);
    expect(init.code, init.stderr).toBe(0);
    expect((json<{ hub_url: string }>(await runCli(['whoami', '--json'], own))).hub_url).toBe(`tls://127.0.0.3:${port}`);
  });
});
