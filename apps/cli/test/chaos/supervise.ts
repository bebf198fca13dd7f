/**
 * The hub's own supervisor (the code `natster hub up` runs), limited to
 * nats-server and the services named on the command line: the chaos suite
 * needs its restarts, not the portal or the demo catalog's ffmpeg.
 * Usage: node --import tsx supervise.ts <hub dir> <service>…
 */
import { runSupervisor, supervisedServices } from '@natster/hub';

const [hubDir, ...names] = process.argv.slice(2);
if (!hubDir) throw new Error('usage: supervise.ts <hub dir> <service>…');
await runSupervisor({ hubDir, services: supervisedServices.filter((s) => names.includes(s.name)) });
