// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata API first.
import 'reflect-metadata';
import { X509Certificate as NodeCertificate, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

// Pure JavaScript on node's global WebCrypto (`crypto`, which x509 picks up): works wherever
// `npm install -g` puts the CLI, no openssl binary needed.

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;

/** A CA is long-lived (friends pin it); a server certificate is short-lived and reissued by `hub up`. */
export const CA_VALID_DAYS = 3650;
export const SERVER_VALID_DAYS = 90;
export const RENEW_BEFORE_DAYS = 30;

/** A certificate and its private key, both PEM. */
export interface CertPair {
  cert: string;
  key: string;
}

const serial = (): string => {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f; // a positive serial number
  return bytes.toString('hex');
};

async function keyPem(key: Parameters<typeof crypto.subtle.exportKey>[1]): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

const newKeys = () => crypto.subtle.generateKey(ECDSA, true, ['sign', 'verify']);

/** A self-signed ECDSA P-256 CA that may only sign server certificates (path length 0). */
export async function makeCa(name: string, now = new Date()): Promise<CertPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + CA_VALID_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** A server certificate for `hosts` (names or IPs, each a SAN), signed by `ca`. */
export async function issueServerCert(ca: CertPair, hosts: string[], now = new Date(), validDays = SERVER_VALID_DAYS): Promise<CertPair> {
  const caCert = new x509.X509Certificate(ca.cert);
  const caKey = await crypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(ca.key), ECDSA, false, ['sign']);
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts[0] ?? 'natster hub'}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + validDays * DAY_MS),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(hosts.map((host): x509.JsonGeneralName => ({ type: isIP(host) ? 'ip' : 'dns', value: host }))),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyPem(keys.privateKey) };
}

/** When a PEM certificate stops being valid. */
export const notAfter = (certPem: string): Date => new Date(new NodeCertificate(certPem).validTo);

/** True when fewer than RENEW_BEFORE_DAYS are left (or the certificate has expired). */
export const needsRenewal = (certPem: string, now = new Date()): boolean => notAfter(certPem).getTime() - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS;

/** The SHA-256 fingerprint of a PEM certificate (`AB:CD:…`), what a friend compares to pin the CA. */
export const caFingerprint = (certPem: string): string => new NodeCertificate(certPem).fingerprint256;

/** The SAN entries of a PEM certificate, as node reports them (`DNS:localhost, IP Address:127.0.0.1`). */
export const subjectAltNames = (certPem: string): string[] => (new NodeCertificate(certPem).subjectAltName ?? '').split(', ').filter(Boolean);
