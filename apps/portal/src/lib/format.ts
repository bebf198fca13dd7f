/** Display helpers shared by server and client components. */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

/** `ABCD…WXYZ`: account keys are 56 characters; people compare the ends. */
export function shortKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 6)}…${key.slice(-4)}` : key;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

/** The last segment of a catalog path: what a download is saved as. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

export type MediaKind = 'video' | 'audio' | 'image' | 'text' | 'other';

export function mediaKind(mimeType: string): MediaKind {
  const [top = ''] = mimeType.split('/');
  if (top === 'video' || top === 'audio' || top === 'image' || top === 'text') return top;
  if (/json|xml|javascript|yaml|toml/.test(mimeType)) return 'text';
  return 'other';
}
