import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_NODE_FLAGS, hubDown, hubLayout, hubStatus, isAlive, readPid, type HubStatus } from '@natster/hub';
import { freePort } from '@natster/testing';
import { json, runCli } from './run-cli';

describe('natster hub up | status | down', () => {
  let root: string;
  let env: Record<string, string>;
  let ports: number[];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'natster-cli-hub-'));
    env = { NATSTER_HOME: join(root, 'home'), NATSTER_HUB_DIR: join(root, 'hub') };
    ports = [await freePort(), await freePort(), await freePort()];
  });
  afterAll(async () => {
    // stops whatever a failed test left running, by pid
    await hubDown(env.NATSTER_HUB_DIR!).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it('starts from nothing, is idempotent, reports status, and stops every process', async () => {
    const [port, httpPort, portalPort] = ports.map(String) as [string, string, string];
    const first = await runCli(['hub', 'up', '--port', port, '--http-port', httpPort, '--portal-port', portalPort], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`created a new hub in ${env.NATSTER_HUB_DIR}`);
    expect(first.stdout).toContain(`nats://127.0.0.1:${port}`);
    expect(first.stdout).toContain(`http://127.0.0.1:${portalPort}`);
    expect(first.stdout).toContain('natster init');
    const hubJson = await readFile(join(env.NATSTER_HUB_DIR!, 'hub.json'), 'utf8');

    const second = await runCli(['hub', 'up'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already up');
    expect(await readFile(join(env.NATSTER_HUB_DIR!, 'hub.json'), 'utf8')).toBe(hubJson);

    const status = json<HubStatus>(await runCli(['hub', 'status', '--json'], env));
    expect(status.running).toBe(true);
    expect(status.server_version).toMatch(/^2\./);
    expect(status.url).toBe(`nats://127.0.0.1:${port}`);
    expect(status.accounts.map((a) => a.name)).toEqual(['SYS', 'AUTHORITY', 'NATSTER_GLOBAL', 'HUB', 'PORTAL', 'BOOTSTRAP']);
    expect(status.accounts.every((a) => /^A[A-Z2-7]{55}$/.test(a.key))).toBe(true);
    expect(status.services.find((s) => s.name === 'accounts')).toMatchObject({ state: 'running', account: 'AUTHORITY' });
    const table = await runCli(['hub', 'status'], env);
    expect(table.stdout).toMatch(/accounts\s+│ AUTHORITY\s+│ running/);

    const layout = hubLayout(env.NATSTER_HUB_DIR!);
    const pids = (await Promise.all(['supervisor', 'nats-server', 'accounts'].map((n) => readPid(layout, n)))) as number[];
    expect(pids.every((p) => p !== null && isAlive(p))).toBe(true);

    // a crashed service is restarted and answers again
    process.kill(pids[2]!, 'SIGKILL');
    await expect.poll(async () => (await readPid(layout, 'accounts')) !== pids[2], { timeout: 10_000 }).toBe(true);
    await expect
      .poll(async () => (await hubStatus(env.NATSTER_HUB_DIR!)).services.find((s) => s.name === 'accounts')?.state, { timeout: 20_000, interval: 250 })
      .toBe('running');
    pids[2] = (await readPid(layout, 'accounts'))!;

    // every process the hub runs (other registered services included) has a pid file
    const names = (await readdir(layout.run)).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4));
    const everyPid = (await Promise.all(names.map((n) => readPid(layout, n)))).filter((p): p is number => p !== null);
    // the chunker runs with the heap flags that keep V8 from marking non-stop while it sends
    const chunkerPid = await readPid(layout, 'chunker-hub');
    expect((await readFile(`/proc/${chunkerPid}/cmdline`, 'utf8')).split('\0')).toEqual(expect.arrayContaining([...MEDIA_NODE_FLAGS]));
    const down = await runCli(['hub', 'down'], env);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/stopped .*supervisor/);
    expect([...pids, ...everyPid].filter(isAlive)).toEqual([]);

    const stopped = json<HubStatus>(await runCli(['hub', 'status', '--json'], env));
    expect(stopped.running).toBe(false);
    expect((await runCli(['hub', 'down'], env)).stdout).toContain('was not running');
  });

  it('`--portal-url` takes an http(s) origin only, and says so before creating anything', async () => {
    const dir = join(root, 'url-hub');
    for (const [url, why] of [['https://portal.example.com/natster', 'origin only'], ['ftp://portal.example.com', 'https:// or http://'], ['portal.example.com', 'not a URL']]) {
      const result = await runCli(['hub', 'up', '--portal-url', url!], { ...env, NATSTER_HUB_DIR: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(why);
    }
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/);
  });

  it('says which port is taken instead of starting a hub that cannot listen', async () => {
    const busy = createServer().listen(ports[0], '127.0.0.1');
    await once(busy, 'listening');
    try {
      const result = await runCli(['hub', 'up', '--port', String(ports[0])], { ...env, NATSTER_HUB_DIR: join(root, 'busy-hub') });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`error: port ${ports[0]} on 127.0.0.1 is in use by another program`);
      expect(result.stderr).toContain('natster hub up --port <n>');
    } finally {
      busy.close();
    }
  });
});
