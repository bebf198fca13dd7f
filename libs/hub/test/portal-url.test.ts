import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initHub } from '../src/init-hub';
import { checkPortalUrl, portalAddress, portalListenPort } from '../src/portal-url';
import { supervisedServices } from '../src/services';

describe('portal URL (hub up --portal-url)', () => {
  it('accepts an http(s) origin and keeps only the origin', () => {
    expect(checkPortalUrl('https://portal.example.com')).toBe('https://portal.example.com');
    expect(checkPortalUrl('https://portal.example.com/')).toBe('https://portal.example.com');
    expect(checkPortalUrl('https://Portal.Example.com:443')).toBe('https://portal.example.com');
    expect(checkPortalUrl('http://127.0.0.1:3005')).toBe('http://127.0.0.1:3005');
  });

  it('refuses anything a browser origin cannot be, saying why', () => {
    expect(() => checkPortalUrl('portal.example.com')).toThrow(/not a URL/);
    expect(() => checkPortalUrl('ftp://portal.example.com')).toThrow(/https:\/\/ or http:\/\//);
    expect(() => checkPortalUrl('https://portal.example.com/natster')).toThrow(/without a path, query or #fragment/);
    expect(() => checkPortalUrl('https://portal.example.com/?a=1')).toThrow(/without a path, query/);
    expect(() => checkPortalUrl('https://me:secret@portal.example.com')).toThrow(/user name or password/);
  });

  it('a public URL keeps the portal on its loopback port, and survives a later port change', () => {
    const first = portalAddress({ portalUrl: 'https://portal.example.com' }, null);
    expect(first).toEqual({ portal_url: 'https://portal.example.com', portal_port: 3000 });
    expect(portalAddress({ portalPort: 3005 }, first)).toEqual({ portal_url: 'https://portal.example.com', portal_port: 3005 });
    expect(portalAddress({}, { portal_url: 'https://portal.example.com', portal_port: 3005 })).toEqual({ portal_url: 'https://portal.example.com', portal_port: 3005 });
  });

  it('a loopback URL follows the port, and an older hub.json listens where its URL says', () => {
    expect(portalAddress({ portalPort: 3005 }, null)).toEqual({ portal_url: 'http://127.0.0.1:3005', portal_port: 3005 });
    expect(portalAddress({ portalPort: 3006 }, { portal_url: 'http://127.0.0.1:3005', portal_port: 3005 })).toEqual({ portal_url: 'http://127.0.0.1:3006', portal_port: 3006 });
    expect(portalListenPort({ portal_url: 'http://127.0.0.1:3007' })).toBe(3007);
    expect(portalAddress({ portalUrl: 'http://127.0.0.1:3008' }, null)).toEqual({ portal_url: 'http://127.0.0.1:3008', portal_port: 3008 });
    expect(() => portalAddress({ portalUrl: 'https://portal.example.com/natster' }, null)).toThrow(/origin only/);
  });

  it('hub.json keeps the public URL across runs, and the supervised portal listens on its loopback port', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'natster-portal-url-'));
    try {
      const first = await initHub(dir, { portalUrl: 'https://portal.example.com/' });
      expect(first.info).toMatchObject({ portal_url: 'https://portal.example.com', portal_port: 3000 });
      const again = await initHub(dir, { portalPort: 3005 });
      expect(again.info).toMatchObject({ portal_url: 'https://portal.example.com', portal_port: 3005 });
      const portal = supervisedServices.find((s) => s.name === 'portal')!;
      expect(portal.env!({ layout: again.layout, info: again.info })).toMatchObject({ NATSTER_PORTAL_PORT: '3005', NATSTER_PORTAL_HOST: '127.0.0.1' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
