import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  watch,
  writeFileSync,
  type FSWatcher,
} from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logging.js';

/** A change to an object of a bucket, as S3 notifications report it. */
export interface ObjectChange {
  bucket: string;
  key: string;
  kind: 'created' | 'removed';
  size: number;
  eTag: string;
  sequencer: string;
}

export interface BucketObject {
  key: string;
  size: number;
  eTag: string;
  lastModified: string;
}

/** Writes shorter than this apart count as one change: an editor or a copy writing in parts. */
const SETTLE_MS = 150;
/** Files the workbench writes on the way to an object's final name, never objects themselves. */
const TEMPORARY = /(^|\/)\.lwb-[^/]*\.tmp$/;

/**
 * S3 buckets as folders under the workbench's data folder: an object is a file, its key the path
 * inside the bucket's folder. A file created, replaced or removed there (by the console, the CLI,
 * or a user dropping a file in) is reported once it has settled, with S3's size, ETag (MD5) and
 * an increasing sequencer.
 */
export class BucketFolders {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly known = new Map<string, Map<string, { size: number; mtimeMs: number; eTag: string }>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private sequence = 0;

  constructor(
    private readonly root: string,
    private readonly onChange: (change: ObjectChange) => void,
    private readonly logger: Logger,
  ) {}

  folderOf(bucket: string): string {
    return path.join(this.root, bucket);
  }

  /** Watches exactly these buckets, creating their folders; objects already there count as present. */
  sync(buckets: string[]): void {
    for (const [bucket, watcher] of this.watchers) {
      if (!buckets.includes(bucket)) {
        watcher.close();
        this.watchers.delete(bucket);
        this.known.delete(bucket);
      }
    }
    for (const bucket of buckets) {
      if (this.watchers.has(bucket)) continue;
      const folder = this.folderOf(bucket);
      mkdirSync(folder, { recursive: true });
      const objects = new Map<string, { size: number; mtimeMs: number; eTag: string }>();
      for (const key of listKeys(folder)) {
        const file = path.join(folder, key);
        const stat = statSync(file);
        objects.set(key, { size: stat.size, mtimeMs: stat.mtimeMs, eTag: md5(file) });
      }
      this.known.set(bucket, objects);
      const watcher = watch(folder, { recursive: true }, (_event, name) => {
        if (name) this.schedule(bucket, name.split(path.sep).join('/'));
      });
      watcher.on('error', (error) => this.logger.warn(`Bucket ${bucket}: its folder is no longer watched (${error.message})`));
      this.watchers.set(bucket, watcher);
      this.logger.info(`Bucket ${bucket}: ${folder} (a file put there is an upload)`);
    }
  }

  /** Puts an object: the file is written under a temporary name and renamed, so it appears whole. */
  putObject(bucket: string, key: string, body: Buffer): void {
    const file = this.objectPath(bucket, key);
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = path.join(path.dirname(file), `.lwb-${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(temporary, body);
    renameSync(temporary, file);
  }

  deleteObject(bucket: string, key: string): boolean {
    const file = this.objectPath(bucket, key);
    if (!existsSync(file)) return false;
    rmSync(file);
    return true;
  }

  getObject(bucket: string, key: string): Buffer {
    return readFileSync(this.objectPath(bucket, key));
  }

  listObjects(bucket: string): BucketObject[] {
    const folder = this.folderOf(bucket);
    if (!existsSync(folder)) return [];
    return listKeys(folder).map((key) => {
      const stat = statSync(path.join(folder, key));
      const known = this.known.get(bucket)?.get(key);
      return { key, size: stat.size, eTag: known?.eTag ?? md5(path.join(folder, key)), lastModified: new Date(stat.mtimeMs).toISOString() };
    });
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.watchers.clear();
    this.pending.clear();
  }

  /** Resolves a key inside the bucket's folder; keys that would lead outside are refused. */
  private objectPath(bucket: string, key: string): string {
    if (key === '' || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.')) {
      throw new Error(`${JSON.stringify(key)} is not a valid object key here: use a relative path without . or .. parts.`);
    }
    const folder = this.folderOf(bucket);
    const file = path.resolve(folder, key);
    if (!file.startsWith(folder + path.sep)) throw new Error(`${JSON.stringify(key)} leads outside bucket ${bucket}.`);
    return file;
  }

  private schedule(bucket: string, key: string): void {
    if (TEMPORARY.test(key)) return;
    const id = `${bucket}\n${key}`;
    clearTimeout(this.pending.get(id));
    this.pending.set(
      id,
      setTimeout(() => {
        this.pending.delete(id);
        this.settle(bucket, key);
      }, SETTLE_MS),
    );
  }

  private settle(bucket: string, key: string): void {
    const objects = this.known.get(bucket);
    if (!objects) return;
    const file = path.join(this.folderOf(bucket), key);
    let stat;
    try {
      stat = statSync(file);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      // A folder moved in at once: each file in it is an object.
      for (const inner of listKeys(file)) this.settle(bucket, `${key}/${inner}`);
      return;
    }
    const before = objects.get(key);
    if (!stat) {
      if (!before) return;
      objects.delete(key);
      this.onChange({ bucket, key, kind: 'removed', size: 0, eTag: '', sequencer: this.nextSequencer() });
      return;
    }
    if (before && before.size === stat.size && before.mtimeMs === stat.mtimeMs) return;
    const eTag = md5(file);
    objects.set(key, { size: stat.size, mtimeMs: stat.mtimeMs, eTag });
    this.onChange({ bucket, key, kind: 'created', size: stat.size, eTag, sequencer: this.nextSequencer() });
  }

  /** S3's sequencers are hex strings that grow with each change; these grow with time. */
  private nextSequencer(): string {
    this.sequence = Math.max(this.sequence + 1, Date.now() * 1000);
    return this.sequence.toString(16).toUpperCase().padStart(16, '0');
  }
}

function listKeys(folder: string, prefix = ''): string[] {
  const keys: string[] = [];
  for (const entry of readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const key = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) keys.push(...listKeys(folder, key));
    else if (entry.isFile() && !TEMPORARY.test(key)) keys.push(key);
  }
  return keys.sort();
}

function md5(file: string): string {
  return createHash('md5').update(readFileSync(file)).digest('hex');
}
