import { capRange, contentRange, parseRange, rangeLength, unsatisfiedRange } from '../lib/http-range';
import { MEDIA_CSP, mediaPresentation } from './media-policy';

/** A file the portal can serve by byte range (a decrypting transfer, or bytes in a test). */
export interface RangeSource {
  size: number;
  mimeType: string;
  /**
   * Starts streaming `length` bytes from `offset`. Resolves once the source
   * has accepted (so failures still become an HTTP status); cancelling the
   * stream must stop the transfer.
   */
  open(offset: number, length: number): Promise<ReadableStream<Uint8Array>>;
}

export interface RangeResponseOptions {
  /** Set for downloads: the browser saves instead of showing. */
  attachmentName?: string;
  /**
   * Media elements ask for `bytes=N-`; answering with at most this many bytes
   * keeps a seek from starting a transfer of the rest of a large file.
   */
  maxOpenRange?: number;
}

function contentDisposition(name: string | undefined): string {
  if (name === undefined) return 'attachment';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Answers a GET/HEAD with 200, 206 or 416 as the Range header asks. */
export async function rangeResponse(request: Request, source: RangeSource, options: RangeResponseOptions = {}): Promise<Response> {
  const head = request.method === 'HEAD';
  const shown = mediaPresentation(source.mimeType);
  const headers = new Headers({
    'Accept-Ranges': 'bytes',
    'Content-Type': shown.contentType,
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': MEDIA_CSP,
    'X-Content-Type-Options': 'nosniff',
    // other sites may not embed a signed-in user's files
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  if (options.attachmentName !== undefined || !shown.inline) headers.set('Content-Disposition', contentDisposition(options.attachmentName));

  const wanted = parseRange(request.headers.get('range'), source.size);
  if (wanted.kind === 'unsatisfiable') {
    headers.set('Content-Range', unsatisfiedRange(source.size));
    headers.delete('Content-Type');
    return new Response(null, { status: 416, headers });
  }
  if (wanted.kind === 'full') {
    headers.set('Content-Length', String(source.size));
    const body = head || source.size === 0 ? null : await source.open(0, source.size);
    return new Response(body, { status: 200, headers });
  }
  const range = wanted.openEnded && options.maxOpenRange ? capRange(wanted.range, options.maxOpenRange) : wanted.range;
  headers.set('Content-Range', contentRange(range, source.size));
  headers.set('Content-Length', String(rangeLength(range)));
  const body = head ? null : await source.open(range.start, rangeLength(range));
  return new Response(body, { status: 206, headers });
}
