import { closeSync, openSync, writeSync } from 'node:fs';
import { connectNatster } from '@natster/nats';
import { subjects } from '@natster/protocol';
import { cpuMeter, report, roleConfig, roleConnection } from '../roles';

/** (b) Receives the raw chunks, writes them, and grants credit every W/4 chunks. */
const config = roleConfig();
const nc = await connectNatster({ ...roleConnection(config), name: 'bench-raw-receiver' });
const total = Math.ceil(config.size / config.chunkSize);
const ack = subjects.transferAck(config.catalog, 'rawbench1');
const every = Math.max(1, Math.floor(config.window / 4));
const fd = openSync(config.out!, 'w');
let received = 0;
let bytes = 0;
const cpu = cpuMeter();
const started = performance.now();
await new Promise<void>((resolve) => {
  nc.subscribe(subjects.media(config.catalog, 'rawbench1'), {
    callback: (_err, msg) => {
      writeSync(fd, msg.data, 0, msg.data.length, received * config.chunkSize);
      bytes += msg.data.length;
      received++;
      if (received % every === 0 || received === total) nc.publish(ack, new TextEncoder().encode(String(received)));
      if (received === total) resolve();
    },
  });
  nc.publish(ack, new TextEncoder().encode('0'));
});
const ms = performance.now() - started;
closeSync(fd);
await nc.close();
report(cpu, { ms, bytes, lost: total - received });
