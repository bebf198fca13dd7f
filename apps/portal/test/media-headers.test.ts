import { describe, expect, it } from 'vitest';
import { MEDIA_CSP, mediaPresentation } from '../src/server/media-policy';
import { rangeResponse, type RangeSource } from '../src/server/range-response';

const source = (mimeType: string): RangeSource => ({ size: 4, mimeType, open: async () => new Blob(['abcd']).stream() });
const served = async (mimeType: string, range?: string) =>
  rangeResponse(new Request('http://portal.test/api/media/films/x', range ? { headers: { range } } : {}), source(mimeType));

describe('media responses never run as the portal (an owner chooses the MIME type)', () => {
  it.each(['text/html', 'image/svg+xml', 'application/xhtml+xml', 'application/xml', 'application/pdf', 'application/javascript', 'text/xml'])(
    '%s is sandboxed and downloaded, never shown inline',
    async (type) => {
      const res = await served(type);
      expect(res.headers.get('content-security-policy')).toBe("sandbox; default-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-disposition')).toBe('attachment');
    },
  );

  it.each(['video/mp4', 'audio/mpeg', 'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp', 'text/plain'])(
    '%s plays or previews inline, still sandboxed',
    async (type) => {
      const res = await served(type, 'bytes=0-1');
      expect(res.status).toBe(206);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(res.headers.get('content-security-policy')).toBe(MEDIA_CSP);
    },
  );

  it('any text is served as plain UTF-8 text, so a browser never parses it as a document', () => {
    expect(mediaPresentation('text/html; charset=iso-8859-1')).toEqual({ contentType: 'text/plain; charset=utf-8', inline: false });
    expect(mediaPresentation('TEXT/PLAIN')).toEqual({ contentType: 'text/plain; charset=utf-8', inline: true });
  });

  it('a malformed or hostile type becomes an octet-stream download', () => {
    for (const type of ['', 'video', 'video/mp4\r\nSet-Cookie: x=1', 'image/png"><script>', 'a'.repeat(400) + '/b']) {
      expect(mediaPresentation(type)).toEqual({ contentType: 'application/octet-stream', inline: false });
    }
  });

  it('a named download keeps its file name', async () => {
    const res = await rangeResponse(new Request('http://portal.test/x'), source('video/mp4'), { attachmentName: 'clip "1".mp4' });
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="clip _1_.mp4"; filename*=UTF-8''clip%20%221%22.mp4`);
  });
});
