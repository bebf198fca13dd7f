import type { ChaosCase } from './chaos-case';
import { diskFull, stoppedDownloader } from './downloader-cases';
import { hubRestart, killCases } from './kill-cases';

/** Every case, in the order they run against one world. */
export const chaosCases: ChaosCase[] = [hubRestart, ...killCases, stoppedDownloader, diskFull];
