import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../logging.js';
import type { Mount } from './engine.js';

const run = promisify(execFile);

/**
 * Where an execution environment's /tmp lives. On Lambda /tmp is a disk of EphemeralStorage size:
 * writing past it fails with ENOSPC, and it does not count against the memory limit, which a
 * tmpfs would. It also survives a runtime reset after a timeout.
 */
export interface TmpStorage {
  /** Whether /tmp is limited to the requested size. */
  readonly sized: boolean;
  create(environmentId: string, sizeMb: number): Promise<Mount>;
  release(environmentId: string): Promise<void>;
}

/** A Docker volume per environment: disk-backed and kept across restarts, but not size-limited. */
export class VolumeTmpStorage implements TmpStorage {
  readonly sized = false;

  async create(): Promise<Mount> {
    return { type: 'volume', target: '/tmp' };
  }

  async release(): Promise<void> {}
}

/**
 * An ext4 file system in a sparse file, loop-mounted on the host and bound at /tmp: the size is
 * enforced by the file system itself. Needs root on a Linux host that runs the Docker engine.
 */
export class LoopTmpStorage implements TmpStorage {
  readonly sized = true;
  private mountQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly root: string,
    private readonly owner: string,
    private readonly logger: Logger,
  ) {
    mkdirSync(root, { recursive: true });
  }

  /** Tells whether this machine can loop-mount: Linux, root, and mkfs.ext4 installed. */
  static available(): boolean {
    return (
      process.platform === 'linux' &&
      process.getuid?.() === 0 &&
      ['/usr/sbin/mkfs.ext4', '/sbin/mkfs.ext4'].some((file) => existsSync(file))
    );
  }

  async create(environmentId: string, sizeMb: number): Promise<Mount> {
    const dir = path.join(this.root, `${this.owner}-${environmentId}`);
    const image = path.join(dir, 'tmp.ext4');
    const mountPoint = path.join(dir, 'tmp');
    mkdirSync(mountPoint, { recursive: true });
    // ext4 keeps about 2 % for its own structures; the image is that much larger so that the
    // function gets the whole size it asked for.
    const imageMb = Math.ceil(sizeMb * 1.025) + 2;
    await run('truncate', ['-s', `${imageMb}M`, image]);
    await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-O', '^has_journal', '-E', 'lazy_itable_init=1,nodiscard', image]);
    await this.serially(() => mountLoop(image, mountPoint));
    chmodSync(mountPoint, 0o1777);
    return { type: 'bind', source: mountPoint, target: '/tmp', readOnly: false };
  }

  /**
   * Runs loop mounts one at a time: two mounts started together can pick the same free loop
   * device, and one of them then fails.
   */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.mountQueue.then(task);
    this.mountQueue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  async release(environmentId: string): Promise<void> {
    await this.remove(path.join(this.root, `${this.owner}-${environmentId}`));
  }

  /** Unmounts and deletes the /tmp file systems of workbench processes that are gone. */
  async removeOrphans(isAlive: (owner: string) => boolean): Promise<number> {
    let removed = 0;
    for (const entry of readdirSync(this.root)) {
      const owner = entry.slice(0, entry.lastIndexOf('-'));
      if (isAlive(owner)) continue;
      await this.remove(path.join(this.root, entry));
      removed += 1;
    }
    return removed;
  }

  private async remove(dir: string): Promise<void> {
    const mountPoint = path.join(dir, 'tmp');
    try {
      await run('umount', ['-l', mountPoint]);
    } catch (error) {
      // Not mounted any more (or never was); the folder goes either way.
      this.logger.debug({ err: error, dir }, 'Unmounting a /tmp file system failed');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function mountLoop(image: string, mountPoint: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await run('mount', ['-o', 'loop,nosuid,nodev', image, mountPoint]);
      return;
    } catch (error) {
      // Another process on the machine may have taken the loop device at the same moment.
      if (attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
