import { setTimeout as sleep } from 'node:timers/promises';
import { GlobalClient, catalogOffline } from '@natster/client';
import { parseCatalogAlias } from '@natster/protocol';
import type { SignedIn } from './current-session';
import { Unreachable } from '@/lib/unreachable';
import { UnreachableError, isUnavailable } from './unreachable';

/** A served catalog answers a page or a download in milliseconds; only a slower one costs a look at its heartbeats. */
const ASK_STATUS_AFTER_MS = 250;
/** The global service answers from a KV bucket: if it is silent this long, it is down. */
const STATUS_TIMEOUT_MS = 1_500;

const GLOBAL_DOWN = 'the hub’s global service is not answering, so the portal cannot reach catalogs right now: check the hub with `natster hub status`';

/** Whether the catalog's server sends heartbeats (null: the global service does not know the catalog). */
async function catalogOnline({ session, nc }: SignedIn, alias: string): Promise<boolean | null> {
  const { catalog, ownerPrefix } = parseCatalogAlias(alias);
  const me = session.account;
  const shares = await new GlobalClient(nc, STATUS_TIMEOUT_MS).myShares();
  const share = shares.find(
    (s) => s.catalog === catalog && (ownerPrefix === null ? s.target === me || s.owner === me : s.target === me && s.owner.startsWith(ownerPrefix)),
  );
  return share ? share.online : null;
}

/**
 * Runs a request to a catalog's server, but says "offline" as soon as the
 * heartbeats do instead of waiting for the request to time out (4–6 s, and
 * a stopped server across an import never answers "no responders"). A
 * result that arrives after the caller was told "offline" goes to `abandon`.
 */
export async function reachCatalog<T>(signedIn: SignedIn, catalog: string, work: () => Promise<T>, abandon: (late: T) => void = () => {}): Promise<T> {
  const stopWaiting = new AbortController();
  const attempt = work();
  const status = sleep(ASK_STATUS_AFTER_MS, undefined, { signal: stopWaiting.signal }).then(() => catalogOnline(signedIn, catalog));
  status.catch(() => {}); // a cancelled or failed look is only consulted below
  const heartbeatsSayOffline = status.then(
    (online) => (online === false ? Promise.reject(new UnreachableError(Unreachable.catalogOffline, catalogOffline(catalog))) : new Promise<never>(() => {})),
    () => new Promise<never>(() => {}),
  );
  let settled = false;
  attempt.then(
    (late) => {
      if (settled) abandon(late);
    },
    () => {},
  );
  try {
    return await Promise.race([attempt, heartbeatsSayOffline]);
  } catch (err) {
    if (err instanceof UnreachableError || !isUnavailable(err)) throw err;
    const globalDown = await status.then(
      () => false,
      (statusErr: unknown) => isUnavailable(statusErr),
    );
    throw globalDown ? new UnreachableError(Unreachable.globalDown, GLOBAL_DOWN, { cause: err }) : new UnreachableError(Unreachable.catalogOffline, err.message, { cause: err });
  } finally {
    settled = true;
    stopWaiting.abort();
  }
}
