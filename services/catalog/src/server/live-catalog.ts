import { watch, type FSWatcher } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '@natster/nats';
import { rescanCatalog } from '../catalog-ops';
import { resolveUnderRoot } from '../safe-path';
import type { Hasher } from '../scan/hash-pool';
import type { CatalogStore } from '../store/catalog-store';
import type { ResolvedFile } from './route-context';

export interface LiveCatalogOptions {
  hasher: Hasher;
  logger: Logger;
  /** Rescan on this period even without file events (for what the watchers miss); 0 = never. */
  rescanMs: number;
  /** Watch the root for changes (fs.watch, recursive where the platform supports it), and the catalog file for other processes' saves. */
  watch: boolean;
  /** Called after a rescan changed the catalog (its revision increased). */
  onChange(store: CatalogStore): void;
  /** Called when the root folder disappears (deleted, moved, unmounted) and when it is back. */
  onRootChange?(live: LiveCatalog, present: boolean): void;
}

/** Quiet time after the last file event before a rescan starts. */
const SETTLE_MS = 300;
/** While the root is gone, how often to look for it again (a stat; the watcher died with the folder). */
const ROOT_POLL_MS = 1000;

/**
 * One served catalog: its store kept current by watching the root (and a
 * rescan timer), and safe resolution of its files. Rescans never overlap.
 */
export class LiveCatalog {
  private watcher: FSWatcher | null = null;
  private fileWatcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private settle: NodeJS.Timeout | null = null;
  private scanning: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private rootPoll: NodeJS.Timeout | null = null;
  private rootMissing = false;

  private constructor(
    readonly store: CatalogStore,
    readonly realRoot: string,
    private readonly options: LiveCatalogOptions,
  ) {}

  static async start(store: CatalogStore, options: LiveCatalogOptions): Promise<LiveCatalog> {
    const live = new LiveCatalog(store, await realpath(store.root), options);
    if (options.watch) {
      live.watchRoot();
      live.watchCatalogFile();
    }
    if (options.rescanMs > 0) live.timer = setInterval(() => live.requestRescan(), options.rescanMs);
    return live;
  }

  get name(): string {
    return this.store.name;
  }

  /** True while the root folder is gone: nothing is listed or served until it is back. */
  get missing(): boolean {
    return this.rootMissing;
  }

  async resolve(hashOrPath: string): Promise<ResolvedFile | null> {
    if (this.rootMissing) return null;
    const entry = this.store.byHashOrPath(hashOrPath);
    if (!entry) return null;
    const absPath = await resolveUnderRoot(this.realRoot, entry.path);
    if (!absPath) return null;
    return { absPath, relPath: entry.path, size: entry.size, sha256: entry.hash, mime_type: entry.mime_type };
  }

  /** Starts a rescan, or queues one more if a scan is running; resolves when the catalog is current. */
  requestRescan(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.scanning) {
      this.again = true;
      return this.scanning;
    }
    this.scanning = this.rescanLoop().finally(() => (this.scanning = null));
    return this.scanning;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    this.fileWatcher?.close();
    if (this.timer) clearInterval(this.timer);
    if (this.rootPoll) clearInterval(this.rootPoll);
    if (this.settle) clearTimeout(this.settle);
    await this.scanning;
  }

  private async rescanLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        if (!(await this.checkRoot())) return;
        if (await this.store.reloadIfChanged()) this.options.onChange(this.store);
        const result = await rescanCatalog(this.store, { hasher: this.options.hasher });
        if (result.added.length + result.changed.length + result.removed.length > 0) {
          this.options.logger.info('catalog changed', {
            catalog: this.name,
            revision: this.store.revision,
            added: result.added.length,
            changed: result.changed.length,
            removed: result.removed.length,
          });
          this.options.onChange(this.store);
        }
      } catch (err) {
        this.options.logger.error('rescan failed', { catalog: this.name, error: err });
      }
    } while (this.again && !this.stopped);
  }

  /**
   * Notices a vanished or returned root at once (the watcher reports the
   * root's own deletion or move as a `rename`, then dies), instead of at the
   * next rescan: flags the catalog, tells the owner, and looks for the folder
   * again until it is back. Returns whether the root is there.
   */
  private async checkRoot(): Promise<boolean> {
    const present = await stat(this.realRoot).then((s) => s.isDirectory(), () => false);
    if (this.stopped || present !== this.rootMissing) return present;
    this.rootMissing = !present;
    if (this.rootMissing) {
      this.watcher?.close();
      this.watcher = null;
      this.options.logger.warn('the catalog folder is gone (deleted, moved or unmounted); nothing is listed until it is back', { catalog: this.name, root: this.realRoot });
      this.rootPoll = setInterval(() => void this.checkRoot(), ROOT_POLL_MS);
    } else {
      if (this.rootPoll) clearInterval(this.rootPoll);
      this.rootPoll = null;
      this.options.logger.info('the catalog folder is back', { catalog: this.name, root: this.realRoot });
      if (this.options.watch) this.watchRoot();
      void this.requestRescan();
    }
    this.options.onRootChange?.(this, present);
    return present;
  }

  /**
   * Follows saves of the catalog file by other processes (`natster catalog
   * describe`, a rescan from the CLI), so friends see them at once instead of
   * at the next periodic rescan: a re-read, not a rescan of the root. Saves are
   * atomic renames into the folder, so the folder is watched, not the file.
   */
  private watchCatalogFile(): void {
    const file = basename(this.store.path);
    try {
      this.fileWatcher = watch(dirname(this.store.path), { persistent: false }, (_event, name) => {
        if (name === null || name.toString() === file) this.reloadFile();
      });
      this.fileWatcher.on('error', (err) => this.options.logger.warn('watching the catalog file failed; relying on the rescan timer', { catalog: this.name, error: err }));
    } catch (err) {
      this.options.logger.warn('cannot watch the catalog file here; relying on the rescan timer', { catalog: this.name, error: err });
    }
  }

  /**
   * Re-reads the catalog file if another process saved it (a stat when it did
   * not, as after this server's own saves); never during a rescan, but after it.
   */
  private reloadFile(): void {
    if (this.stopped) return;
    if (this.scanning) {
      void this.scanning.then(() => this.reloadFile());
      return;
    }
    this.scanning = (async () => {
      try {
        if (await this.store.reloadIfChanged()) this.options.onChange(this.store);
      } catch (err) {
        this.options.logger.warn('cannot re-read the catalog file', { catalog: this.name, error: err });
      }
    })().finally(() => (this.scanning = null));
  }

  private watchRoot(): void {
    try {
      this.watcher = watch(this.realRoot, { recursive: true, persistent: false }, () => {
        void this.checkRoot();
        if (this.settle) clearTimeout(this.settle);
        this.settle = setTimeout(() => void this.requestRescan(), SETTLE_MS);
      });
      this.watcher.on('error', (err) => {
        void this.checkRoot();
        this.options.logger.warn('watching the catalog root failed; relying on the rescan timer', { catalog: this.name, error: err });
      });
    } catch (err) {
      this.options.logger.warn('cannot watch the catalog root here; relying on the rescan timer', { catalog: this.name, error: err });
    }
  }
}
