import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../core/errors.js';
import type { RuntimeFamily, RuntimeInfo } from '../core/runtimes.js';
import type { Logger } from '../logging.js';
import { buildOfflineRootfs, ROOTFS_IMAGE_PREFIX } from './base-image.js';
import { findDebianArchive } from './apt-sources.js';
import type { BuildProgress, ContainerEngine } from './engine.js';

export const BASE_IMAGE = 'lambda-workbench/base:latest';
const SOURCE_LABEL = 'dev.lambda-workbench.source-hash';
const REGISTRY_ROOTFS = 'debian:bookworm-slim';

export function workbenchImage(family: RuntimeFamily): string {
  return `lambda-workbench/${family}:latest`;
}

/** The image that runs a function, and how its runtime is started. */
export interface ResolvedImage {
  reference: string;
  /**
   * 'official': an AWS base image (public.ecr.aws/lambda/...); 'workbench': one built from
   * runtime-images/; 'function': the image of a PackageType Image function.
   */
  kind: 'official' | 'workbench' | 'function';
  /** The language version the image really has ("18.20.4", "3.11.2"), once it has been read. */
  languageVersion?: string;
}

/**
 * Builds the workbench's runtime images from runtime-images/ and picks the image for each
 * runtime identifier. An image is rebuilt only when the files it was built from changed.
 */
export class RuntimeImages {
  private readonly versionCache = new Map<string, string | undefined>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly engine: ContainerEngine,
    private readonly sourceDir: string,
    private readonly logger: Logger,
  ) {}

  /** Builds the base image and the images of the given families where missing or outdated. */
  async build(families: readonly RuntimeFamily[], progress: BuildProgress, options: { force?: boolean } = {}): Promise<void> {
    const baseHash = await this.ensureImage(BASE_IMAGE, 'base', progress, options, undefined, async () => ({
      ROOTFS_IMAGE: await this.rootfsImage(progress),
    }));
    for (const family of families) {
      await this.ensureImage(workbenchImage(family), family, progress, options, baseHash, async () => ({ BASE_IMAGE }));
    }
  }

  /** Returns the families whose workbench image is missing or was built from older runtime-images/ sources. */
  async outdated(families: readonly RuntimeFamily[]): Promise<RuntimeFamily[]> {
    const base = await this.engine.inspectImage(BASE_IMAGE);
    const baseHash = base?.labels[SOURCE_LABEL];
    const result: RuntimeFamily[] = [];
    for (const family of families) {
      const image = await this.engine.inspectImage(workbenchImage(family));
      if (!base || !image || image.labels[SOURCE_LABEL] !== this.sourceHash(family, baseHash)) result.push(family);
    }
    return result;
  }

  async baseUpToDate(): Promise<boolean> {
    const base = await this.engine.inspectImage(BASE_IMAGE);
    return base?.labels[SOURCE_LABEL] === this.sourceHash('base', undefined);
  }

  /** Picks the image for a runtime: the official AWS image when present, else the workbench's own. */
  async resolve(runtime: RuntimeInfo): Promise<ResolvedImage> {
    const official = await this.engine.inspectImage(runtime.officialImage);
    if (official) {
      const tagVersion = runtime.languageVersion;
      return { reference: runtime.officialImage, kind: 'official', ...(tagVersion ? { languageVersion: tagVersion } : {}) };
    }
    const reference = workbenchImage(runtime.family);
    const info = await this.engine.inspectImage(reference);
    if (!info) {
      throw new WorkbenchError(
        'ImageMissing',
        'platform',
        `The ${runtime.family} runtime image (${reference}) is not built yet. Run: lambda-workbench images build`,
      );
    }
    if (!this.versionCache.has(info.id)) {
      // Reading the version takes a throw-away container; it only feeds a warning, so a cold
      // start does not wait for it.
      this.versionCache.set(info.id, undefined);
      this.engine.readImageFile(reference, '/var/runtime/language-version').then(
        (text) => {
          const version = text?.trim().replace(/^v/, '') || undefined;
          this.versionCache.set(info.id, version);
          this.warnOnVersionMismatch(runtime, reference, version);
        },
        (error) => this.logger.debug({ err: error, image: reference }, 'Could not read the language version of an image'),
      );
    } else {
      this.warnOnVersionMismatch(runtime, reference, this.versionCache.get(info.id));
    }
    const languageVersion = this.versionCache.get(info.id);
    return { reference, kind: 'workbench', ...(languageVersion ? { languageVersion } : {}) };
  }

  private warnOnVersionMismatch(runtime: RuntimeInfo, reference: string, actual: string | undefined): void {
    if (!runtime.languageVersion || !actual) return;
    const wanted = runtime.languageVersion;
    if (actual === wanted || actual.startsWith(`${wanted}.`)) return;
    const key = `${runtime.id}\n${reference}\n${actual}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const language = runtime.family === 'nodejs' ? 'Node.js' : 'Python';
    this.logger.warn(
      `Runtime ${runtime.id} asks for ${language} ${wanted}, but the offline image ${reference} has ${language} ${actual}; functions run on ${actual}.`,
    );
  }

  private async ensureImage(
    reference: string,
    folder: string,
    progress: BuildProgress,
    options: { force?: boolean },
    baseHash: string | undefined,
    buildArgs: () => Promise<Record<string, string>>,
  ): Promise<string> {
    const hash = this.sourceHash(folder, baseHash);
    const existing = await this.engine.inspectImage(reference);
    if (existing && existing.labels[SOURCE_LABEL] === hash && !options.force) {
      progress(`${reference} is up to date`);
      return hash;
    }
    progress(`Building ${reference}`);
    await this.engine.buildImage(
      path.join(this.sourceDir, folder),
      { tag: reference, buildArgs: await buildArgs(), labels: { [SOURCE_LABEL]: hash } },
      (line) => {
        // Docker's classic builder prints "Step N/M : INSTRUCTION"; those lines show progress.
        if (/^Step \d+\/\d+ :/.test(line)) progress(`${reference}: ${line}`);
        else this.logger.debug({ image: reference }, line);
      },
    );
    progress(`Built ${reference}`);
    return hash;
  }

  /** Picks the root file system for the base image: an earlier offline build, a registry image, or a new offline build. */
  private async rootfsImage(progress: BuildProgress): Promise<string> {
    const suite = findDebianArchive()?.suite ?? 'bookworm';
    const offline = `${ROOTFS_IMAGE_PREFIX}:${suite}`;
    if (await this.engine.inspectImage(offline)) return offline;
    if (await this.engine.inspectImage(REGISTRY_ROOTFS)) return REGISTRY_ROOTFS;
    progress(`Trying to pull ${REGISTRY_ROOTFS}`);
    if (await this.engine.pullImage(REGISTRY_ROOTFS, () => undefined, 30_000)) return REGISTRY_ROOTFS;
    progress('No registry answered; building an offline Debian root file system with debootstrap (about a minute)');
    return buildOfflineRootfs(this.engine, progress);
  }

  private sourceHash(folder: string, baseHash: string | undefined): string {
    const hash = createHash('sha256');
    if (baseHash) hash.update(baseHash);
    const root = path.join(this.sourceDir, folder);
    for (const file of listFilesSorted(root)) {
      hash
        .update(file)
        .update('\0')
        .update(readFileSync(path.join(root, file)))
        .update('\0');
    }
    return hash.digest('hex').slice(0, 16);
  }
}

function listFilesSorted(root: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFilesSorted(root, relative));
    else files.push(relative);
  }
  return files;
}
