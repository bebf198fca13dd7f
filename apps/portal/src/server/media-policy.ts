/**
 * How the portal may hand an owner-chosen file to the browser. A sharer picks
 * the MIME type, so nothing served from /api/media may ever run as the
 * portal: every response is sandboxed, and only types a browser plays or
 * shows without a script engine are served inline.
 */

/** A sandboxed, resource-less document: even if a browser rendered the bytes, no script and no request would run on our origin. */
export const MEDIA_CSP = "sandbox; default-src 'none'";

/** Raster formats only: SVG is XML with script and stays a download. */
const RASTER_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp']);

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

export interface MediaPresentation {
  /** The Content-Type to send. */
  contentType: string;
  /** False: the response carries `Content-Disposition: attachment`. */
  inline: boolean;
}

/** What a file of the owner's declared type is served as. */
export function mediaPresentation(declared: string): MediaPresentation {
  const essence = declared.split(';')[0]!.trim().toLowerCase();
  if (!MIME.test(essence)) return { contentType: 'application/octet-stream', inline: false };
  const [top] = essence.split('/');
  // Any text (text/html, text/xml, …) is plain text to us: shown as characters, never parsed as a document.
  if (top === 'text') return { contentType: 'text/plain; charset=utf-8', inline: essence === 'text/plain' };
  return { contentType: essence, inline: top === 'audio' || top === 'video' || RASTER_IMAGES.has(essence) };
}
