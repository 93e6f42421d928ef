import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, lstatSync } from 'node:fs';
import path from 'node:path';
import type { LayerConfig } from '../core/template/layer-config.js';
import type { WorkbenchDatabase } from '../store/database.js';
import { extractZip } from './code-store.js';
import { zipFolderToBuffer } from './packaging.js';

export interface LayerVersionRecord {
  name: string;
  version: number;
  digest: string;
  /** Where the version's content is kept: a folder, or layer.zip to unpack on first use. */
  contentDir: string;
  sizeBytes: number;
  description: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  createdMs: number;
}

/**
 * Numbered versions of the template's layers. Each change of a layer's content publishes the next
 * version and keeps a copy of that content, so a function version published earlier still runs
 * with the layer versions it was published with.
 */
export class LayerStore {
  private readonly packageDigests = new Map<string, { sha256: string; size: number }>();

  constructor(
    private readonly db: WorkbenchDatabase,
    private readonly root: string,
  ) {
    mkdirSync(root, { recursive: true });
  }

  /** Returns the version of the layer's current content, publishing a new one when it changed. */
  publish(layer: LayerConfig): number {
    const digest = contentDigest(layer.content);
    const latest = this.latest(layer.name);
    if (latest && latest.digest === digest) return latest.version;
    const version = (latest?.version ?? 0) + 1;
    const dir = path.join(this.root, layer.name, String(version));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    if (layer.content.kind === 'folder') cpSync(layer.content.path, path.join(dir, 'content'), { recursive: true, verbatimSymlinks: true });
    else copyFileSync(layer.content.path, path.join(dir, 'layer.zip'));
    this.db
      .prepare(
        `INSERT INTO layer_versions (name, version, digest, content_dir, size_bytes, description, compatible_runtimes_json, compatible_architectures_json, created_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        layer.name,
        version,
        digest,
        dir,
        layer.content.kind === 'folder' ? folderSize(layer.content.path) : 0,
        layer.description,
        layer.compatibleRuntimes ? JSON.stringify(layer.compatibleRuntimes) : null,
        layer.compatibleArchitectures ? JSON.stringify(layer.compatibleArchitectures) : null,
        Date.now(),
      );
    return version;
  }

  latest(name: string): LayerVersionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM layer_versions WHERE name = ? ORDER BY version DESC LIMIT 1').get(name) as
      LayerRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  get(name: string, version: number): LayerVersionRecord | undefined {
    const row = this.db.prepare('SELECT * FROM layer_versions WHERE name = ? AND version = ?').get(name, version) as LayerRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  versions(name: string): LayerVersionRecord[] {
    return (this.db.prepare('SELECT * FROM layer_versions WHERE name = ? ORDER BY version').all(name) as LayerRow[]).map(fromRow);
  }

  /**
   * CodeSize of a layer version as Lambda reports it: the size of its .zip package. A folder layer
   * is measured as the .zip that `lambda-workbench package` writes from it. Versions never change,
   * so the figure is computed once.
   */
  async packageSize(record: LayerVersionRecord): Promise<number> {
    return (await this.packageDigest(record)).size;
  }

  /** CodeSha256 (base64) and CodeSize of a layer version's .zip package, as GetLayerVersion reports them. */
  async packageDigest(record: LayerVersionRecord): Promise<{ sha256: string; size: number }> {
    const key = `${record.name}:${record.version}:${record.digest}`;
    let digest = this.packageDigests.get(key);
    if (!digest) {
      const zip = path.join(record.contentDir, 'layer.zip');
      const content = existsSync(zip) ? readFileSync(zip) : await zipFolderToBuffer(path.join(record.contentDir, 'content'));
      digest = { sha256: createHash('sha256').update(content).digest('base64'), size: content.length };
      this.packageDigests.set(key, digest);
    }
    return digest;
  }

  /** Names of every layer that has a version, sorted. */
  names(): string[] {
    return (this.db.prepare('SELECT DISTINCT name FROM layer_versions ORDER BY name').all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
  }

  /** The unpacked content of a layer version. */
  async contentOf(record: LayerVersionRecord): Promise<string> {
    const content = path.join(record.contentDir, 'content');
    if (existsSync(content)) return content;
    const staging = `${content}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    await extractZip(path.join(record.contentDir, 'layer.zip'), staging);
    if (!existsSync(content)) renameSync(staging, content);
    else rmSync(staging, { recursive: true, force: true });
    const size = folderSize(content);
    this.db.prepare('UPDATE layer_versions SET size_bytes = ? WHERE name = ? AND version = ?').run(size, record.name, record.version);
    return content;
  }

  /**
   * Merges layer versions in order into one folder for /opt, a later layer winning a path, as
   * Lambda does. The result is cached by the layers' digests.
   */
  async mergedOpt(records: readonly LayerVersionRecord[], cacheRoot: string): Promise<string> {
    const key = createHash('sha256')
      .update(records.map((record) => `${record.name}:${record.version}:${record.digest}`).join('\n'))
      .digest('hex')
      .slice(0, 32);
    const target = path.join(cacheRoot, `opt-${key}`);
    if (existsSync(target)) return target;
    const staging = `${target}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    for (const record of records) {
      cpSync(await this.contentOf(record), staging, { recursive: true, force: true, verbatimSymlinks: true });
    }
    if (!existsSync(target)) renameSync(staging, target);
    else rmSync(staging, { recursive: true, force: true });
    return target;
  }
}

interface LayerRow {
  name: string;
  version: number;
  digest: string;
  content_dir: string;
  size_bytes: number;
  description: string;
  compatible_runtimes_json: string | null;
  compatible_architectures_json: string | null;
  created_ms: number;
}

function fromRow(row: LayerRow): LayerVersionRecord {
  return {
    name: row.name,
    version: row.version,
    digest: row.digest,
    contentDir: row.content_dir,
    sizeBytes: row.size_bytes,
    description: row.description,
    ...(row.compatible_runtimes_json ? { compatibleRuntimes: JSON.parse(row.compatible_runtimes_json) as string[] } : {}),
    ...(row.compatible_architectures_json ? { compatibleArchitectures: JSON.parse(row.compatible_architectures_json) as string[] } : {}),
    createdMs: row.created_ms,
  };
}

function contentDigest(content: LayerConfig['content']): string {
  const hash = createHash('sha256');
  if (content.kind === 'zip') return hash.update(readFileSync(content.path)).digest('hex');
  for (const file of listFiles(content.path))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(content.path, file)))
      .update('\0');
  return hash.digest('hex');
}

/** Total size of the regular files under a folder, in bytes. */
export function folderSize(root: string): number {
  let total = 0;
  for (const file of listFiles(root)) total += lstatSync(path.join(root, file)).size;
  return total;
}

function listFiles(root: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(root, relative));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}
