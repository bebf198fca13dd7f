import { baseName } from './format';

/** URLs of the portal's own pages and API, built in one place. */
export const links = {
  catalog: (catalog: string) => `/catalogs/${encodeURIComponent(catalog)}`,
  file: (catalog: string, hash: string, path: string) => `/catalogs/${encodeURIComponent(catalog)}/files/${hash}?path=${encodeURIComponent(path)}`,
  media: (catalog: string, hash: string) => `/api/media/${encodeURIComponent(catalog)}/${hash}`,
  download: (catalog: string, hash: string, path: string) => `/api/media/${encodeURIComponent(catalog)}/${hash}?download=${encodeURIComponent(baseName(path))}`,
} as const;
