import { GlobalClient } from '@natster/client';
import { HubAccounts, credsPath, hubConnection, hubLayout, readHubInfo } from '@natster/hub';
import { connectNatster, createLogger, logReconnects } from '@natster/nats';
import { readEnv } from './env';
import { startHubCatalog } from './serve';

/** The hub's catalog server: the demo catalog in the HUB account, shared with everyone. */
const logger = createLogger('catalog-hub');
const env = readEnv();
const layout = hubLayout(env.hubDir);
const info = await readHubInfo(layout.info);
if (!info) throw new Error(`no hub in ${env.hubDir}: run \`natster hub up\` first`);
const hub = hubConnection(info);
const caFile = env.caFile ?? hub.caFile;
const nc = await connectNatster({ servers: env.url ?? hub.servers, credsPath: env.credsPath ?? credsPath(layout, HubAccounts.hub), name: 'natster-catalog-hub', ...(caFile ? { caFile } : {}) });
logReconnects(nc, logger);
const server = await startHubCatalog({
  nc,
  account: info.accounts.HUB,
  hubDir: env.hubDir,
  catalog: info.demo_catalog,
  global: new GlobalClient(nc),
  logger,
  ...(env.heartbeatMs !== undefined ? { heartbeatMs: env.heartbeatMs } : {}),
  ...(env.rescanMs !== undefined ? { rescanMs: env.rescanMs } : {}),
  ...(env.ffmpeg ? { ffmpeg: env.ffmpeg } : {}),
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await server.stop();
  await nc.drain();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
