export { openDownload, downloadStream, type Download, type DownloadInfo, type DownloadOptions, type DownloadProgress } from './open-download';
export { downloadToFile, type FileDownloadOptions, type FileDownloadResult } from './to-file';
export { startTransfer, stopTransfers } from './chunker-client';
export { ResumableError, type ReceiverStats } from './transfer-receiver';
export type { TestFaults } from './faults';
