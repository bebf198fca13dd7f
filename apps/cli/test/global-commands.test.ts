import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsReply } from '@natster/protocol';
import { startPlatform, type Platform } from './platform';
import { json, runCli } from './run-cli';

describe('natster stats and whoami against the global service', () => {
  let platform: Platform;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    platform = await startPlatform();
    home = await mkdtemp(join(tmpdir(), 'natster-cli-home-'));
    env = { NATSTER_HOME: home, NATSTER_HUB_DIR: platform.th.dir };
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('prints community stats as a table and as JSON; says what to do when the global service is down', async () => {
    expect((await runCli(['init', '--name', 'Alice', '--json'], env)).code).toBe(0);
    // signup records natster_initialized and the demo catalog import
    let stats = json<StatsReply>(await runCli(['stats', '--json'], env));
    for (let tries = 0; stats.events_total < 2 && tries < 20; tries++) {
      await new Promise((r) => setTimeout(r, 250));
      stats = json<StatsReply>(await runCli(['stats', '--json'], env));
    }
    expect(stats).toEqual({ accounts_initialized: 1, catalogs_online: 0, shares_active: 0, imports: 1, events_total: 2 });

    const table = await runCli(['stats'], env);
    expect(table.stdout).toContain('Natster Community Stats');
    expect(table.stdout).toMatch(/Accounts initialized\s+│ 1/);

    const me = json<{ initialized_at: string | null; portal_bound: boolean | null }>(await runCli(['whoami', '--json'], env));
    expect(Date.parse(me.initialized_at ?? '')).toBeGreaterThan(Date.now() - 120_000);
    expect(me.portal_bound).toBe(false);
    expect((await runCli(['whoami'], env)).stdout).toMatch(/Portal\s+│ not bound/);

    await platform.global.stop();
    const down = await runCli(['stats'], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: the global service is not answering/);
    // whoami still works without the global service; what only it knows is unknown
    const offline = await runCli(['whoami', '--json'], env);
    expect(json<typeof me>(offline)).toMatchObject({ initialized_at: null, portal_bound: null });
  });
});
