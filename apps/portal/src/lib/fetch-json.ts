/** An HTTP failure of the portal's own API, with the message the API gave. */
export class PortalApiError extends Error {
  override name = 'PortalApiError';
  constructor(
    readonly status: number,
    message: string,
    /** Machine-readable cause, when the API gave one (e.g. `catalog_offline`). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** The portal API's error body: `{ error, reason? }`. */
export async function apiError(res: Response): Promise<PortalApiError> {
  const body = (await res.json().catch(() => null)) as { error?: string; reason?: string } | null;
  return new PortalApiError(res.status, body?.error ?? `the portal answered ${res.status}: reload the page`, body?.reason);
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}), ...init?.headers } });
  if (!res.ok) throw await apiError(res);
  return (await res.json()) as T;
}
