import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlobalClient } from '@natster/client';
import { startTestHub, type TestHub } from '@natster/testing';
import { eventually, shareEvent } from './fixture';

const BIN = fileURLToPath(new URL('../bin/natster-global.js', import.meta.url));

function run(args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, exited: new Promise((resolve) => child.on('close', resolve)), stderr: () => stderr };
}

describe('natster-global as a process', () => {
  let th: TestHub;
  let service: ReturnType<typeof run> | undefined;
  beforeAll(async () => {
    th = await startTestHub();
  });
  afterAll(async () => {
    if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    await th?.stop();
  });

  it('starts from hub.json, creates its data key 0600, serves, rebuilds, and stops on SIGTERM', async () => {
    const env = { NATSTER_HUB_DIR: th.dir, NATSTER_LOG_LEVEL: 'info' };
    service = run(['start'], env);
    const owner = await th.createUser('proc-owner');
    const friend = await th.createUser('proc-friend');
    const client = new GlobalClient(await owner.connect(), 1000);
    await eventually(() => client.stats().catch(() => null), (s) => s !== null, 20_000);
    expect((await stat(join(th.dir, 'keys', 'global-data.key'))).mode & 0o777).toBe(0o600);

    await client.putEvent(shareEvent('catalog_shared', owner.account, friend.account, 'proc'));
    await eventually(() => client.stats(), (s) => s.shares_active === 1);

    const rebuild = run(['rebuild'], env);
    expect(await rebuild.exited).toBe(0);
    expect(rebuild.stderr()).toMatch(/"msg":"projections rebuilt"/);
    expect((await client.stats()).shares_active).toBe(1);

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.stderr()).toMatch(/"msg":"global service stopped"/);
    expect(service.stderr()).not.toMatch(/SUA[A-Z2-7]{20}|BEGIN NATS USER JWT/);
  });
});
