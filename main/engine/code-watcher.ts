import { existsSync, statSync, watch, type FSWatcher } from 'node:fs';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../logging.js';
import type { LambdaEngine } from './engine.js';

/** Changes within this window count as one edit (an editor saving several files, a build). */
const SETTLE_MS = 300;

/**
 * Redeploys a function when a file of its code folder changes, so warm environments of `serve`
 * do not keep running modules loaded before the edit (SAM CLI's warm containers reload the same
 * way). The console does not use it: there Save and Deploy are separate steps, as in the Lambda
 * console.
 */
export class CodeWatcher {
  /** One watcher per folder, with the folder's inode: a folder replaced under the same path needs a new watcher. */
  private readonly watchers = new Map<string, { watcher: FSWatcher; inode: number }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly engine: LambdaEngine,
    private readonly logger: Logger,
  ) {
    engine.on('codeReplaced', () => this.sync());
  }

  /** Watches the code folder of every function of the workspace, and only those. */
  sync(): void {
    const folders = new Map<string, string[]>();
    for (const fn of this.engine.functions()) {
      if (fn.code.kind !== 'folder' || !existsSync(fn.code.path)) continue;
      folders.set(fn.code.path, [...(folders.get(fn.code.path) ?? []), fn.name]);
    }
    for (const [folder, entry] of this.watchers) {
      if (!folders.has(folder) || statSync(folder).ino !== entry.inode) {
        entry.watcher.close();
        this.watchers.delete(folder);
      }
    }
    for (const folder of folders.keys()) {
      if (this.watchers.has(folder)) continue;
      try {
        const watcher = watch(folder, { recursive: true }, () => this.changed(folder));
        watcher.on('error', (error) => this.logger.debug({ err: error, folder }, 'A code folder watch ended'));
        this.watchers.set(folder, { watcher, inode: statSync(folder).ino });
      } catch (error) {
        this.logger.warn(`${folder} is not watched (${errorMessage(error)}); restart serve to run edited code.`);
      }
    }
  }

  close(): void {
    for (const { watcher } of this.watchers.values()) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.watchers.clear();
    this.timers.clear();
  }

  private changed(folder: string): void {
    clearTimeout(this.timers.get(folder));
    this.timers.set(
      folder,
      setTimeout(() => {
        this.timers.delete(folder);
        const names = this.engine.functions().flatMap((fn) => (fn.code.kind === 'folder' && fn.code.path === folder ? [fn.name] : []));
        for (const name of names) {
          void this.engine.redeploy(name).then(
            () => this.logger.info(`${name}: code changed; new environments run the new code`),
            (error: unknown) => this.logger.warn(`${name}: redeploying after a code change failed: ${errorMessage(error)}`),
          );
        }
      }, SETTLE_MS),
    );
  }
}
