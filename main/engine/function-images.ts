import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../core/errors.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { BuildProgress, ContainerEngine, ImageInfo } from '../docker/engine.js';
import type { Logger } from '../logging.js';

const SOURCE_LABEL = 'dev.lambda-workbench.source-hash';

/**
 * The images of PackageType Image functions: built from SAM's Metadata (Dockerfile, DockerContext,
 * DockerTag, DockerBuildArgs) when the context changed, or taken as they are from ImageUri.
 */
export class FunctionImages {
  private readonly building = new Map<string, Promise<{ reference: string; info: ImageInfo }>>();

  constructor(
    private readonly containers: ContainerEngine,
    private readonly workspaceKey: string,
    private readonly logger: Logger,
  ) {}

  /** The local tag of a function's built image. */
  tagOf(fn: FunctionConfig): string {
    const tag = fn.code.kind === 'image' && fn.code.build ? fn.code.build.tag : 'latest';
    return `lambda-workbench-fn/${this.workspaceKey.toLowerCase()}-${fn.logicalId.toLowerCase()}:${tag}`;
  }

  /** Returns the function's image, building it first when its sources changed. */
  ensure(fn: FunctionConfig, progress: BuildProgress = (line) => this.logger.info(line)): Promise<{ reference: string; info: ImageInfo }> {
    const key = fn.name;
    let pending = this.building.get(key);
    if (!pending) {
      pending = this.resolve(fn, progress).finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }

  private async resolve(fn: FunctionConfig, progress: BuildProgress): Promise<{ reference: string; info: ImageInfo }> {
    if (fn.code.kind !== 'image') throw new Error(`${fn.name} is not an Image function.`);
    const build = fn.code.build;
    if (!build) {
      const reference = fn.code.imageUri!;
      const info = await this.containers.inspectImage(reference);
      if (!info) {
        throw new WorkbenchError(
          'ImageMissing',
          'caller',
          `Image ${reference} of ${fn.name} is not present locally. Build it or load it into Docker first; no registry is reachable offline.`,
        );
      }
      return { reference, info };
    }
    const reference = this.tagOf(fn);
    const hash = sourceHash(build.context, build.dockerfile, build.buildArgs);
    const existing = await this.containers.inspectImage(reference);
    if (existing && existing.labels[SOURCE_LABEL] === hash) return { reference, info: existing };
    progress(`Building ${reference} for ${fn.name} from ${path.join(build.context, build.dockerfile)}`);
    await this.containers.buildImage(
      build.context,
      { tag: reference, dockerfile: build.dockerfile, buildArgs: build.buildArgs, labels: { [SOURCE_LABEL]: hash } },
      (line) => progress(`${fn.name}: ${line}`),
    );
    const info = await this.containers.inspectImage(reference);
    if (!info) throw new WorkbenchError('ImageBuildFailed', 'platform', `The build of ${reference} finished without an image.`);
    progress(`Built ${reference}`);
    return { reference, info };
  }
}

/** Hash of the build context, the Dockerfile name and the build arguments. */
function sourceHash(context: string, dockerfile: string, buildArgs: Record<string, string>): string {
  const hash = createHash('sha256').update(dockerfile).update(JSON.stringify(buildArgs));
  // NOTE: .dockerignore is not read, so an ignored file that changes still triggers a rebuild.
  for (const file of listFiles(context))
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(context, file)))
      .update('\0');
  return hash.digest('hex').slice(0, 16);
}

function listFiles(root: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (entry.name !== '.git' && entry.name !== 'node_modules') files.push(...listFiles(root, relative));
    } else if (entry.isFile()) {
      files.push(relative);
    }
  }
  return files;
}
