// Piscina workers start without the tsx loader the main thread runs under
// (and under vitest), so register it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./seal-worker.ts');
export default worker.default;
