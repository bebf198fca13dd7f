import { createCurve } from 'nkeys.js';
import { connectNatster } from '@natster/nats';
import { subjects } from '@natster/protocol';
import { cpuMeter, report, roleConfig, roleConnection } from '../roles';

/** (c) Opens each 4 KiB chunk with nkeys.js; what never arrives is lost (no retransmission exists). */
const config = roleConfig();
const nc = await connectNatster({ ...roleConnection(config), name: 'bench-legacy-receiver' });
const me = createCurve();
const total = Math.ceil(config.size / config.chunkSize);
const IDLE_MS = 3_000;
let received = 0;
let bytes = 0;
let lastAt = performance.now();
const cpu = cpuMeter();
const started = performance.now();
await new Promise<void>((resolve) => {
  nc.subscribe(subjects.media(config.catalog, 'legacybench1'), {
    callback: (_err, msg) => {
      const plain = me.open(msg.data, msg.headers!.get('X-Natster-Sender'));
      if (plain) {
        received++;
        bytes += plain.length;
      }
      lastAt = performance.now();
      if (received === total) resolve();
    },
  });
  const idle = setInterval(() => {
    if (performance.now() - lastAt > IDLE_MS) {
      clearInterval(idle);
      resolve();
    }
  }, 200);
  nc.publish(subjects.transferAck(config.catalog, 'legacybench1'), new TextEncoder().encode(me.getPublicKey()));
});
const ms = (received === total ? performance.now() : lastAt) - started;
await nc.close();
report(cpu, { ms, bytes, lost: total - received });
