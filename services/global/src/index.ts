export { startGlobal, resolveConfig, type GlobalOptions, type GlobalHandle } from './global';
export { rebuildProjections, snapshotProjections, projectionsCaughtUp, waitForProjections } from './rebuild-projections';
export { Names, Defaults } from './config';
export { loadDataKey } from './data-key';
