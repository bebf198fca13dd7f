/**
 * Next bundles each route separately, so a module-level variable can exist
 * more than once per process. Connections and caches that must be shared
 * live on globalThis under a well-known symbol instead.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`natster.portal.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  store[key] ??= create();
  return store[key];
}
