import type { HubInfo } from './hub-info';

export const DEFAULT_PORTAL_PORT = 3000;

/**
 * A portal URL as browsers will see it: http(s), an origin and nothing more.
 * A path or query would not survive: claim links are `<url>/login/<code>`
 * and the portal compares `Origin` to it. Returns the origin, no trailing slash.
 */
export function checkPortalUrl(value: string): string {
  if (!URL.canParse(value)) throw new Error(`not a URL: ${value} (example: https://portal.example.com)`);
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the portal URL must start with https:// or http://, not ${url.protocol}//`);
  if (url.username || url.password) throw new Error(`the portal URL must not carry a user name or password: ${value}`);
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`the portal URL must be an origin only, without a path, query or #fragment (the portal is served at the root): ${value}`);
  return url.origin;
}

/** The port of a plain-http loopback URL, where the portal serves browsers itself; null for anything behind a proxy. */
function loopbackPort(url: string): number | null {
  const { protocol, hostname, port } = new URL(url);
  return protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname) ? Number(port || 80) : null;
}

/**
 * The portal's loopback port and public URL for hub.json. A public URL set
 * once (`hub up --portal-url`) is kept when only the port changes; a loopback
 * URL follows the port, and an older hub.json without `portal_port` listens
 * where its URL says.
 */
export function portalAddress(options: { portalUrl?: string; portalPort?: number }, previous: Pick<HubInfo, 'portal_url' | 'portal_port'> | null): { portal_url: string; portal_port: number } {
  const previousPort = previous ? (previous.portal_port ?? loopbackPort(previous.portal_url)) : null;
  const url = options.portalUrl === undefined ? undefined : checkPortalUrl(options.portalUrl);
  const port = options.portalPort ?? (url ? loopbackPort(url) : null) ?? previousPort ?? DEFAULT_PORTAL_PORT;
  const keptPublic = previous && loopbackPort(previous.portal_url) === null ? previous.portal_url : null;
  return { portal_url: url ?? keptPublic ?? `http://127.0.0.1:${port}`, portal_port: port };
}

/** Where the supervised portal listens (on 127.0.0.1). */
export const portalListenPort = (info: Pick<HubInfo, 'portal_url' | 'portal_port'>): number => portalAddress({}, info).portal_port;
