import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubAccounts, credsPath } from '@natster/hub';
import { Codes } from '@natster/protocol';
import { startTestHub, type TestHub } from '@natster/testing';
import { connectNatster, type ConnectRetry } from '../src/index';

/**
 * A loopback TCP proxy to the real server that leaves its first `stall`
 * connections unanswered, as a hub too busy to send its INFO would.
 */
async function stallingProxy(target: { host: string; port: number }, stall: number): Promise<{ url: string; close(): void }> {
  const sockets: Socket[] = [];
  let seen = 0;
  const server: Server = createServer((client) => {
    sockets.push(client);
    if (++seen <= stall) return;
    const upstream = createConnection(target);
    sockets.push(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('proxy has no port');
  return {
    url: `nats://127.0.0.1:${address.port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

describe('a fail-fast first connect that times out', () => {
  let th: TestHub;
  const target = () => ({ host: '127.0.0.1', port: Number(new URL(th.url).port) });
  beforeAll(async () => {
    th = await startTestHub();
  });
  afterAll(async () => th?.stop());

  it('is retried with backoff, saying so, and connects once the hub answers', async () => {
    const proxy = await stallingProxy(target(), 2);
    const retries: ConnectRetry[] = [];
    try {
      const nc = await connectNatster({
        servers: proxy.url,
        credsPath: credsPath(th.hub.layout, HubAccounts.hub),
        name: 'busy-hub',
        failFast: true,
        connectTimeoutMs: 500,
        onConnectRetry: (r) => retries.push(r),
      });
      await nc.flush();
      await nc.close();
    } finally {
      proxy.close();
    }
    expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
      [1, 500],
      [2, 1000],
    ]);
  });

  it('gives up after its retries with a message that names the cause', async () => {
    const proxy = await stallingProxy(target(), 100);
    try {
      const failure = connectNatster({ servers: proxy.url, name: 'dead-hub', failFast: true, connectTimeoutMs: 300 });
      await expect(failure).rejects.toMatchObject({ code: Codes.unavailable, message: expect.stringMatching(/did not answer after 4 tries: it may be overloaded/) });
    } finally {
      proxy.close();
    }
  });
});
