import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { portalEnv } from '../src/server/env';
import { rangeResponse, type RangeSource } from '../src/server/range-response';

/** An in-memory file that records which byte ranges were opened. */
function memorySource(size: number, mimeType = 'video/mp4'): RangeSource & { opened: [number, number][] } {
  const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251);
  const opened: [number, number][] = [];
  return {
    size,
    mimeType,
    opened,
    async open(offset, length) {
      opened.push([offset, length]);
      return new Blob([bytes.slice(offset, offset + length)]).stream();
    },
  };
}

const get = (range?: string) => new Request('http://portal.test/api/media/hub/x', range ? { headers: { range } } : {});
const body = async (res: Response) => new Uint8Array(await res.arrayBuffer());

describe('rangeResponse', () => {
  it('no Range: 200 with the whole file and Accept-Ranges', async () => {
    const source = memorySource(1000);
    const res = await rangeResponse(get(), source);
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-length')).toBe('1000');
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect((await body(res)).length).toBe(1000);
  });

  it('first bytes: 206 with Content-Range and exactly those bytes', async () => {
    const source = memorySource(1000);
    const res = await rangeResponse(get('bytes=0-99'), source);
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 0-99/1000');
    expect(res.headers.get('content-length')).toBe('100');
    const data = await body(res);
    expect(data.length).toBe(100);
    expect(data[99]).toBe(99);
  });

  it('middle: only the requested range is opened (a seek never reads the whole file)', async () => {
    const source = memorySource(100_000);
    const res = await rangeResponse(get('bytes=50000-50009'), source);
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 50000-50009/100000');
    expect([...(await body(res))]).toEqual(Array.from({ length: 10 }, (_, i) => (50000 + i) % 251));
    expect(source.opened).toEqual([[50000, 10]]);
  });

  it('suffix: the last N bytes', async () => {
    const res = await rangeResponse(get('bytes=-10'), memorySource(1000));
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect((await body(res))[0]).toBe(990 % 251);
  });

  it('out of range: 416 with the size in Content-Range and no body', async () => {
    const source = memorySource(1000);
    const res = await rangeResponse(get('bytes=1000-1200'), source);
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
    expect(source.opened).toEqual([]);
  });

  it('open-ended media ranges are capped; explicit ones are not', async () => {
    const source = memorySource(10_000);
    const open = await rangeResponse(get('bytes=1000-'), source, { maxOpenRange: 4096 });
    expect(open.headers.get('content-range')).toBe('bytes 1000-5095/10000');
    expect((await body(open)).length).toBe(4096);
    const explicit = await rangeResponse(get('bytes=1000-9999'), source, { maxOpenRange: 4096 });
    expect(explicit.headers.get('content-length')).toBe('9000');
  });

  it('the portal’s own cap (no NATSTER_PORTAL_MEDIA_RANGE_BYTES) answers `bytes=N-` with 8 MiB: 206 ending at N + 8 MiB − 1', async () => {
    const MiB = 1024 * 1024;
    const dir = await mkdtemp(join(tmpdir(), 'natster-portal-env-'));
    // the portal's configuration without a hub dir: only the variables it requires, and no range setting
    const env: Record<string, string | undefined> = {
      NATSTER_PORTAL_MEDIA_RANGE_BYTES: undefined,
      NATSTER_HUB_DIR: join(dir, 'no-hub'),
      NATS_URL: 'nats://127.0.0.1:4222',
      NATSTER_PORTAL_CREDS: join(dir, 'portal.creds'),
      NATSTER_PORTAL_XKEY_SEED: 'seed',
      NATSTER_PORTAL_ACCOUNT: 'A'.repeat(56),
    };
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    const setEnv = (values: Record<string, string | undefined>) => {
      for (const [key, value] of Object.entries(values)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    };
    try {
      await writeFile(join(dir, 'portal.creds'), 'creds');
      setEnv(env);
      const { maxMediaRangeBytes } = await portalEnv();

      const size = 300 * MiB;
      const opened: [number, number][] = [];
      const zeros: RangeSource = { size, mimeType: 'video/mp4', open: async (offset, length) => (opened.push([offset, length]), new Blob([new Uint8Array(length)]).stream()) };
      const start = 100 * MiB + 7;
      const res = await rangeResponse(get(`bytes=${start}-`), zeros, { maxOpenRange: maxMediaRangeBytes });
      expect(res.status).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${start}-${start + 8 * MiB - 1}/${size}`);
      expect((await body(res)).length).toBe(8 * MiB);
      expect(opened).toEqual([[start, 8 * MiB]]);
    } finally {
      setEnv(saved);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('downloads carry the file name, including non-ASCII names', async () => {
    const res = await rangeResponse(get(), memorySource(10, 'audio/mpeg'), { attachmentName: 'Café "live".mp3' });
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toContain('attachment; filename="Caf_ _live_.mp3"');
    expect(disposition).toContain("filename*=UTF-8''Caf%C3%A9%20%22live%22.mp3");
  });

  it('HEAD answers the headers without opening a transfer', async () => {
    const source = memorySource(1000);
    const res = await rangeResponse(new Request('http://portal.test/x', { method: 'HEAD', headers: { range: 'bytes=0-9' } }), source);
    expect(res.status).toBe(206);
    expect(source.opened).toEqual([]);
  });
});
