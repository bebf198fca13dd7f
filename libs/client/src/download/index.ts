export {
  openDownload,
  downloadStream,
  GaveUpError,
  DEFAULT_GIVE_UP_AFTER_MS,
  type Download,
  type DownloadEvent,
  type DownloadInfo,
  type DownloadOptions,
  type DownloadProgress,
} from './open-download';
export { downloadToFile, type FileDownloadOptions, type FileDownloadResult } from './to-file';
export { OutputExistsError } from './output-path';
export { keptPartial, type KeptPartial } from './partial-file';
export { startTransfer, stopTransfers } from './chunker-client';
export { ResumableError, type ReceiverStats } from './transfer-receiver';
export type { TestFaults } from './faults';
