import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readHubInfo, writeHubInfo, type HubTls } from './hub-info';
import type { HubLayout } from './layout';
import { writeSecret } from './secret-files';
import { issueServerCert, makeCa, needsRenewal, notAfter, subjectAltNames, type CertPair } from './tls-certs';

export interface TlsOptions {
  /** Names or IPs friends dial; each becomes a SAN of the self-made certificate. */
  publicHosts: string[];
  /**
   * The owner's own certificate and key (PEM files), used instead of a self-made CA;
   * 'kept' reuses the ones an earlier `hub up --tls-cert` copied into the hub dir.
   */
  ownCert?: { certFile: string; keyFile: string } | 'kept';
}

const tlsFiles = (layout: HubLayout) => ({
  ca: join(layout.tls, 'ca.pem'),
  caKey: join(layout.tls, 'ca-key.pem'),
  cert: join(layout.tls, 'server.pem'),
  key: join(layout.tls, 'server-key.pem'),
});

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

/** The self-made certificate names the public hosts and loopback, so hub services keep dialling 127.0.0.1. */
const sansOf = (hosts: string[]): string[] => [...new Set([...hosts, 'localhost', '127.0.0.1'])];

async function loadOrMakeCa(layout: HubLayout): Promise<CertPair> {
  const files = tlsFiles(layout);
  if (await exists(files.caKey)) return { cert: await readFile(files.ca, 'utf8'), key: await readFile(files.caKey, 'utf8') };
  const ca = await makeCa('Natster hub CA');
  await writeSecret(files.caKey, ca.key);
  await writeSecret(files.ca, ca.cert);
  return ca;
}

/** Whether the server certificate on disk is missing, close to expiry, or misses one of the SANs. */
async function mustIssue(certFile: string, sans: string[]): Promise<boolean> {
  if (!(await exists(certFile))) return true;
  const pem = await readFile(certFile, 'utf8');
  const have = subjectAltNames(pem).map((san) => san.replace(/^(DNS|IP Address):/, ''));
  return needsRenewal(pem) || sans.some((san) => !have.includes(san));
}

/**
 * Makes sure the hub has a valid server certificate: the owner's (copied into
 * the hub dir, so a later `hub up` needs no flags) or one issued by the hub's
 * own CA, made on first run and reissued when fewer than 30 days are left.
 * Returns hub.json's `tls` section; `renewed` says whether the files changed.
 */
export async function ensureHubTls(layout: HubLayout, port: number, options: TlsOptions): Promise<{ tls: HubTls; renewed: boolean }> {
  const files = tlsFiles(layout);
  const publicUrls = options.publicHosts.map((host) => `tls://${host.includes(':') ? `[${host}]` : host}:${port}`);
  let renewed = false;
  const ownCert = options.ownCert;
  if (typeof ownCert === 'object') {
    await writeSecret(files.key, await readFile(ownCert.keyFile, 'utf8'));
    await copyFile(ownCert.certFile, files.cert);
    renewed = true;
  }
  if (!ownCert && (await mustIssue(files.cert, sansOf(options.publicHosts)))) {
    const server = await issueServerCert(await loadOrMakeCa(layout), sansOf(options.publicHosts));
    await writeSecret(files.key, server.key);
    await writeSecret(files.cert, server.cert);
    renewed = true;
  }
  const tls: HubTls = {
    public_hosts: options.publicHosts,
    public_urls: publicUrls,
    ...(ownCert ? {} : { ca_file: files.ca }),
    cert_file: files.cert,
    key_file: files.key,
    not_after: notAfter(await readFile(files.cert, 'utf8')).toISOString(),
  };
  return { tls, renewed };
}

/**
 * The supervisor's daily check on a running hub: renews a due self-made certificate
 * and records it in hub.json. Returns the new settings, or null when nothing changed
 * (the caller then has nats-server reload its files).
 */
export async function renewHubTls(layout: HubLayout): Promise<HubTls | null> {
  const info = await readHubInfo(layout.info);
  if (!info?.tls?.ca_file) return null;
  const { tls, renewed } = await ensureHubTls(layout, info.port, { publicHosts: info.tls.public_hosts });
  if (!renewed) return null;
  await writeHubInfo(layout.info, { ...info, tls });
  return tls;
}
