/** An HTTP failure of the portal's own API, with the message the API gave. */
export class PortalApiError extends Error {
  override name = 'PortalApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}), ...init?.headers } });
  const body = (await res.json().catch(() => null)) as { error?: string } | null;
  if (!res.ok) throw new PortalApiError(res.status, body?.error ?? `the portal answered ${res.status}: reload the page`);
  return body as T;
}
