import { downloadToFile } from '@natster/client';
import { connectNatster } from '@natster/nats';
import { report, roleConfig } from '../roles';

/** (a) The downloader: a real `downloadToFile` (open, reorder, write, SHA-256 verify). */
const config = roleConfig();
const nc = await connectNatster({ servers: config.url, credsPath: config.creds, name: 'bench-natster-receiver' });
const started = performance.now();
const result = await downloadToFile(nc, { catalog: config.catalog, hashOrPath: config.sha256, out: config.out!, resume: false });
const ms = performance.now() - started;
await nc.close();
report({ ms, bytes: result.info.file_size, hashMatch: result.info.sha256 === config.sha256, lost: 0, retransmitted: result.stats.duplicates });
