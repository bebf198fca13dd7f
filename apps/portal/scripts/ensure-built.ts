import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PORTAL_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = join(PORTAL_DIR, '..', '..');

function newestMtime(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** The portal's own sources, its Next config and every lib it may compile in. */
function sources(): string[] {
  const libs = readdirSync(join(REPO_ROOT, 'libs')).map((lib) => join(REPO_ROOT, 'libs', lib, 'src'));
  return [join(PORTAL_DIR, 'src'), join(PORTAL_DIR, 'next.config.ts'), ...libs].filter((path) => existsSync(path));
}

/** True when `.next/BUILD_ID` is missing or older than any source file. */
export function buildIsStale(): boolean {
  const buildId = join(PORTAL_DIR, '.next', 'BUILD_ID');
  return !existsSync(buildId) || statSync(buildId).mtimeMs <= Math.max(...sources().map(newestMtime));
}

/**
 * Runs `next build` when the production build is stale. `show: true` lets the
 * build print its progress (the start command); otherwise its output is kept
 * and only shown when it fails (tests).
 */
export function ensureBuilt(options: { show?: boolean } = {}): void {
  if (!buildIsStale()) return;
  if (options.show) console.log('natster: building the portal (about a minute the first time)');
  const build = spawnSync('npx', ['next', 'build'], {
    cwd: PORTAL_DIR,
    encoding: 'utf8',
    stdio: options.show ? 'inherit' : 'pipe',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) throw new Error(`next build failed${options.show ? '' : `:\n${build.stdout}\n${build.stderr}`}`);
}

// `node --import tsx apps/portal/scripts/ensure-built.ts`: what `npm start` runs.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureBuilt({ show: true });
  } catch (error) {
    console.error(`natster: ${(error as Error).message}; fix the error above, then run npm start again`);
    process.exit(1);
  }
}
