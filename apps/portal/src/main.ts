import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { createLogger } from '@natster/nats';
import { listenOptions, portalEnv } from './server/env';

/**
 * Runs the portal as one supervised process (`natster hub up` runs every
 * service's src/main.ts): the production build when there is one, else
 * Next's dev server. Listens on loopback unless told otherwise.
 */
const log = createLogger('portal');
const dir = fileURLToPath(new URL('..', import.meta.url));
const dev = !existsSync(`${dir}/.next/BUILD_ID`);
const { host, port } = listenOptions();

await portalEnv(); // fail at start, with a clear message, if the hub is missing
const app = next({ dev, dir, hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => void handle(req, res));
server.listen(port, host, () => {
  const url = `http://${host}:${port}`;
  log.info(`portal ready at ${url}`, { url, mode: dev ? 'dev (no production build: run `npm run build -w @natster/portal`)' : 'production' });
});

const stop = (signal: string) => {
  log.info('portal stopping', { signal });
  server.close();
  server.closeAllConnections();
  void app.close().finally(() => process.exit(0));
};
process.once('SIGINT', () => stop('SIGINT'));
process.once('SIGTERM', () => stop('SIGTERM'));
