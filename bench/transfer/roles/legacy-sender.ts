import { closeSync, openSync, readSync } from 'node:fs';
import { createCurve } from 'nkeys.js';
import { connectNatster, headers } from '@natster/nats';
import { scoped, subjects } from '@natster/protocol';
import { cpuMeter, report, roleConfig, roleConnection } from '../roles';

/**
 * (c) The original protocol: 4 KiB chunks, each sealed with nkeys.js to the
 * receiver's xkey, fired with core publish, no flow control.
 */
const config = roleConfig();
const nc = await connectNatster({ ...roleConnection(config), name: 'bench-legacy-sender' });
const sender = createCurve();
const total = Math.ceil(config.size / config.chunkSize);
const fd = openSync(config.file, 'r');
const go = new Promise<string>((resolve) => {
  const sub = nc.subscribe(scoped(config.peer!, subjects.transferAck(config.catalog, 'legacybench1')), {
    callback: (_err, msg) => {
      sub.unsubscribe();
      resolve(new TextDecoder().decode(msg.data));
    },
  });
});
await nc.flush();
process.stdout.write('ready\n');
const cpu = cpuMeter();
const recipient = await go;
const media = scoped(config.peer!, subjects.media(config.catalog, 'legacybench1'));
const h = () => headers();
for (let index = 0; index < total; index++) {
  const length = Math.min(config.chunkSize, config.size - index * config.chunkSize);
  const chunk = new Uint8Array(length);
  readSync(fd, chunk, 0, length, index * config.chunkSize);
  const hdrs = h();
  hdrs.set('X-Natster-Sender', sender.getPublicKey());
  hdrs.set('X-Natster-Chunk', String(index));
  nc.publish(media, sender.seal(chunk, recipient), { headers: hdrs });
  // Yield now and then so the socket drains; the original had no other pacing.
  if (index % 256 === 0) await new Promise((r) => setImmediate(r));
}
await nc.flush();
closeSync(fd);
await nc.close();
report(cpu, { ms: 0, bytes: config.size });
