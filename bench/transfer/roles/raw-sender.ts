import { closeSync, openSync, readSync } from 'node:fs';
import { connectNatster } from '@natster/nats';
import { scoped, subjects } from '@natster/protocol';
import { cpuMeter, report, roleConfig, roleConnection } from '../roles';

/**
 * (b) The ceiling: the same bytes over the same import, read from disk and
 * published with a credit window of W chunks, no crypto.
 */
const config = roleConfig();
const nc = await connectNatster({ ...roleConnection(config), name: 'bench-raw-sender' });
const media = scoped(config.peer!, subjects.media(config.catalog, 'rawbench1'));
const total = Math.ceil(config.size / config.chunkSize);
const fd = openSync(config.file, 'r');
let sent = 0;
let credit = 0;
const finished = new Promise<void>((resolve) => {
  nc.subscribe(scoped(config.peer!, subjects.transferAck(config.catalog, 'rawbench1')), {
    callback: (_err, msg) => {
      credit = Number(new TextDecoder().decode(msg.data)) + config.window;
      while (sent < total && sent < credit) {
        const length = Math.min(config.chunkSize, config.size - sent * config.chunkSize);
        const buffer = new Uint8Array(length);
        readSync(fd, buffer, 0, length, sent * config.chunkSize);
        nc.publish(media, buffer);
        sent++;
      }
      if (credit - config.window >= total) resolve();
    },
  });
});
await nc.flush();
process.stdout.write('ready\n');
const cpu = cpuMeter();
await finished;
closeSync(fd);
await nc.close();
report(cpu, { ms: 0, bytes: config.size });
