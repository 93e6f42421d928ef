import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../core/errors.js';
import { findRuntime } from '../core/runtimes.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { ControlPlaneStore, VersionRecord } from '../store/control-plane-store.js';
import { codeDigest } from './code-digest.js';
import type { CodeStore } from './code-store.js';

/**
 * Publishing versions: each is an immutable snapshot of $LATEST's configuration and code. As on
 * Lambda, publishing when nothing changed since the last version returns that version instead
 * of making a new one.
 */
export class VersionPublisher {
  constructor(
    private readonly store: ControlPlaneStore,
    private readonly codeStore: CodeStore,
    private readonly versionsDir: string,
  ) {}

  async publish(
    fn: FunctionConfig,
    options: { description?: string; codeSha256?: string } = {},
  ): Promise<{ record: VersionRecord; created: boolean }> {
    const digest = await codeDigest(fn);
    if (options.codeSha256 !== undefined && options.codeSha256 !== digest.sha256) {
      throw new WorkbenchError(
        'PreconditionFailed',
        'caller',
        `CodeSha256 (${options.codeSha256}) is different from your current $LATEST's CodeSha256 (${digest.sha256}). Please try again with the latest code.`,
      );
    }
    const configDigest = digestOf(fn, digest.sha256);
    const existing = this.store.versions(fn.name).at(-1);
    if (existing && existing.configDigest === configDigest) return { record: existing, created: false };

    const version = this.store.nextVersionNumber(fn.name);
    const codeDir = await this.snapshotCode(fn, version);
    const record: VersionRecord = {
      functionName: fn.name,
      version,
      createdMs: Date.now(),
      description: options.description ?? '',
      configJson: JSON.stringify({ ...fn, runtime: fn.runtime?.id, code: { kind: 'folder', path: codeDir } }),
      codeDir,
      codeSha256: digest.sha256,
      codeSize: digest.size,
      configDigest,
    };
    this.store.addVersion(record);
    return { record, created: true };
  }

  /** The configuration a published version runs with. */
  static configOf(record: VersionRecord): FunctionConfig {
    const stored = JSON.parse(record.configJson) as Omit<FunctionConfig, 'runtime'> & { runtime?: string };
    const runtime = stored.runtime ? findRuntime(stored.runtime) : undefined;
    const { runtime: _runtimeId, ...rest } = stored;
    return { ...rest, ...(runtime ? { runtime } : {}), code: { kind: 'folder', path: record.codeDir } };
  }

  private async snapshotCode(fn: FunctionConfig, version: number): Promise<string> {
    // Archives and inline code are unpacked into folders named by their hash, which never change.
    if (fn.code.kind === 'zip' || fn.code.kind === 'inline') return this.codeStore.folderFor(fn.code, fn.runtime);
    if (fn.code.kind !== 'folder') throw new WorkbenchError('UnsupportedPackage', 'caller', `${fn.name} has no code folder to publish.`);
    const target = path.join(this.versionsDir, fn.name, String(version));
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(fn.code.path, target, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    return target;
  }
}

/** Digest of what makes a version different: the configuration that affects a run, and the code. */
function digestOf(fn: FunctionConfig, codeSha256: string): string {
  const relevant = {
    runtime: fn.runtime?.id,
    handler: fn.handler,
    memoryMb: fn.memoryMb,
    timeoutSeconds: fn.timeoutSeconds,
    ephemeralStorageMb: fn.ephemeralStorageMb,
    architecture: fn.architecture,
    environment: fn.environment,
    description: fn.description,
    layers: fn.properties.Layers ?? null,
  };
  return createHash('sha256').update(JSON.stringify(relevant)).update(codeSha256).digest('hex');
}
