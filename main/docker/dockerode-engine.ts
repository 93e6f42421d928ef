import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import * as tar from 'tar-stream';
import { WorkbenchError, errorMessage } from '../core/errors.js';
import type {
  BuildProgress,
  ContainerEngine,
  ContainerExit,
  ContainerHandle,
  ContainerRun,
  ContainerSpec,
  ImageBuildOptions,
  ImageInfo,
  NetworkPlan,
  OutputListener,
} from './engine.js';

/** The ContainerEngine backed by a Docker daemon through dockerode. */
export class DockerodeEngine implements ContainerEngine {
  private readonly docker: Docker;
  private plan: Promise<NetworkPlan> | undefined;

  constructor(options?: Docker.DockerOptions) {
    this.docker = new Docker(options);
  }

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw new WorkbenchError(
        'DockerUnavailable',
        'platform',
        `No Docker engine answers (${errorMessage(error)}). Start Docker (on Linux: sudo systemctl start docker, or run dockerd) and try again.`,
        { cause: error },
      );
    }
  }

  networkPlan(): Promise<NetworkPlan> {
    this.plan ??= this.docker.info().then((info: { OperatingSystem?: string }) => {
      const desktop = /Docker Desktop/i.test(info.OperatingSystem ?? '') || process.platform !== 'linux';
      return desktop ? { mode: 'bridge', hostAddress: 'host.docker.internal' } : { mode: 'host', hostAddress: '127.0.0.1' };
    });
    return this.plan;
  }

  async createContainer(spec: ContainerSpec): Promise<ContainerHandle> {
    const hostConfig: Docker.HostConfig = {
      NetworkMode: spec.network.mode,
      Memory: spec.memoryBytes,
      MemorySwap: spec.memoryBytes,
      CpuPeriod: spec.cpuPeriodMicros,
      CpuQuota: spec.cpuQuotaMicros,
      PidsLimit: spec.pidsLimit,
      Ulimits: [{ Name: 'nofile', Soft: spec.openFilesLimit, Hard: spec.openFilesLimit }],
      Init: spec.init,
      ReadonlyRootfs: spec.readOnlyRootfs,
      SecurityOpt: ['no-new-privileges'],
      CapDrop: ['ALL'],
      LogConfig: { Type: 'none', Config: {} },
      Mounts: spec.mounts.map((mount) => {
        switch (mount.type) {
          case 'bind':
            return { Type: 'bind', Source: mount.source, Target: mount.target, ReadOnly: mount.readOnly };
          case 'volume':
            // An empty Source makes Docker create an anonymous volume.
            return { Type: 'volume', Source: '', Target: mount.target };
          case 'tmpfs':
            return {
              Type: 'tmpfs',
              Source: '',
              Target: mount.target,
              TmpfsOptions: { SizeBytes: mount.sizeBytes, Mode: mount.mode ?? 0o1777 },
            };
        }
      }),
      ...(spec.network.mode === 'bridge' ? { ExtraHosts: ['host.docker.internal:host-gateway'] } : {}),
    };
    try {
      const container = await this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
        ...(spec.cmd ? { Cmd: spec.cmd } : {}),
        ...(spec.workingDir ? { WorkingDir: spec.workingDir } : {}),
        ...(spec.user ? { User: spec.user } : {}),
        Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
        Labels: spec.labels,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        HostConfig: hostConfig,
      });
      return new DockerContainer(this.docker, container);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404) {
        throw new WorkbenchError(
          'ImageMissing',
          'platform',
          `Image ${spec.image} is not present locally. Run: lambda-workbench images build`,
          { cause: error },
        );
      }
      throw new WorkbenchError(
        'ContainerCreateFailed',
        'platform',
        `Docker could not create a container from ${spec.image}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
  }

  async inspectImage(reference: string): Promise<ImageInfo | undefined> {
    try {
      const info = await this.docker.getImage(reference).inspect();
      return {
        id: info.Id,
        labels: info.Config.Labels ?? {},
        entrypoint: toList(info.Config.Entrypoint),
        cmd: toList(info.Config.Cmd),
        workingDir: info.Config.WorkingDir ?? '',
        env: info.Config.Env ?? [],
        architecture: info.Architecture,
      };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  async readImageFile(reference: string, file: string): Promise<string | undefined> {
    const container = await this.docker.createContainer({
      Image: reference,
      Entrypoint: ['/bin/true'],
      Labels: { 'dev.lambda-workbench.probe': 'true' },
    });
    try {
      const archive = await container.getArchive({ path: file });
      return await readFirstTarEntry(archive);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  }

  async buildImage(contextDir: string, options: ImageBuildOptions, progress: BuildProgress): Promise<void> {
    const stream = await this.docker.buildImage(
      { context: contextDir, src: listFiles(contextDir) },
      {
        t: options.tag,
        networkmode: 'host',
        rm: true,
        forcerm: true,
        ...(options.dockerfile ? { dockerfile: options.dockerfile } : {}),
        ...(options.buildArgs ? { buildargs: options.buildArgs } : {}),
        ...(options.labels ? { labels: options.labels } : {}),
      },
    );
    await followProgress(this.docker, stream, progress, `build of ${options.tag}`);
  }

  async pullImage(reference: string, progress: BuildProgress, timeoutMs: number): Promise<boolean> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const stream = (await this.docker.pull(reference, { abortSignal: abort.signal })) as NodeJS.ReadableStream;
      await followProgress(this.docker, stream, progress, `pull of ${reference}`);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async importImage(tarStream: NodeJS.ReadableStream, reference: string): Promise<void> {
    const [repo, tag] = splitReference(reference);
    const stream = await this.docker.importImage(tarStream, { repo, tag });
    await followProgress(this.docker, stream, () => undefined, `import of ${reference}`);
  }

  async listContainers(label: string): Promise<Array<{ id: string; labels: Record<string, string> }>> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [label] } });
    return containers.map((info) => ({ id: info.Id, labels: info.Labels ?? {} }));
  }

  async removeContainer(id: string): Promise<void> {
    await this.docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
      });
  }
}

class DockerContainer implements ContainerHandle {
  readonly id: string;
  /** cgroup file with the peak memory use, found once from the first process's /proc entry. */
  private memoryPeakFile: string | null | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
  ) {
    this.id = container.id;
  }

  async start(onOutput: OutputListener): Promise<ContainerRun> {
    const stream = await this.container.attach({ stream: true, stdout: true, stderr: true, hijack: true });
    demultiplex(stream, onOutput);
    // Asked for before start, so a process that ends at once is not missed.
    const waited = this.container.wait({ condition: 'next-exit' }) as Promise<{ StatusCode: number }>;
    try {
      await this.container.start();
    } catch (error) {
      (stream as NodeJS.ReadWriteStream & { destroy?: () => void }).destroy?.();
      throw new WorkbenchError(
        'ContainerStartFailed',
        'platform',
        `Docker could not start container ${this.id.slice(0, 12)}: ${errorMessage(error)}`,
        { cause: error },
      );
    }
    const exited = waited.then(async (result): Promise<ContainerExit> => {
      let oomKilled = false;
      if (result.StatusCode !== 0) {
        const state = await this.container
          .inspect()
          .then((info) => info.State)
          .catch(() => undefined);
        oomKilled = state?.OOMKilled ?? false;
      }
      return { exitCode: result.StatusCode, oomKilled };
    });
    if (!this.memoryPeakFile) void this.locateMemoryPeakFile();
    return { exited };
  }

  async updateCpu(periodMicros: number, quotaMicros: number): Promise<void> {
    await this.container.update({ CpuPeriod: periodMicros, CpuQuota: quotaMicros });
  }

  async kill(): Promise<void> {
    await this.container.kill({ signal: 'SIGKILL' }).catch((error: { statusCode?: number }) => {
      // 409: the container is not running any more, which is what kill wants.
      if (error.statusCode !== 409 && error.statusCode !== 404) throw error;
    });
  }

  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
    });
  }

  memoryPeakBytesNow(): number | undefined {
    if (!this.memoryPeakFile) return undefined;
    try {
      return Number(readFileSync(this.memoryPeakFile, 'utf8').trim());
    } catch {
      // The cgroup goes away when the container stops; the next start finds it again.
      return undefined;
    }
  }

  private async locateMemoryPeakFile(): Promise<void> {
    try {
      const info = await this.container.inspect();
      const lines = readFileSync(`/proc/${info.State.Pid}/cgroup`, 'utf8').split('\n');
      const v1 = lines.find((line) => /^\d+:([^:]*,)?memory(,[^:]*)?:/.test(line));
      if (v1) {
        this.memoryPeakFile = path.join('/sys/fs/cgroup/memory', v1.split(':')[2]!, 'memory.max_usage_in_bytes');
        return;
      }
      const v2 = lines.find((line) => line.startsWith('0::'));
      this.memoryPeakFile = v2 ? path.join('/sys/fs/cgroup', v2.slice(3), 'memory.peak') : null;
    } catch {
      this.memoryPeakFile = null;
    }
  }
}

/** Splits Docker's multiplexed attach stream (8-byte frame headers) into stdout and stderr chunks. */
function demultiplex(stream: NodeJS.ReadableStream, onOutput: OutputListener): void {
  let pending: Buffer = Buffer.alloc(0);
  stream.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 8) {
      const size = pending.readUInt32BE(4);
      if (pending.length < 8 + size) break;
      const kind = pending[0] === 2 ? 'stderr' : 'stdout';
      onOutput(kind, pending.subarray(8, 8 + size));
      pending = pending.subarray(8 + size);
    }
  });
  stream.on('error', () => undefined);
}

function followProgress(docker: Docker, stream: NodeJS.ReadableStream, progress: BuildProgress, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, output: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failure = error?.message ?? output.find((item) => item.error)?.error;
        if (failure) reject(new WorkbenchError('ImageBuildFailed', 'platform', `The ${what} failed: ${failure.trim()}`));
        else resolve();
      },
      (event: { stream?: string; status?: string; progress?: string }) => {
        const text = (event.stream ?? event.status ?? '').trimEnd();
        if (text) progress(text);
      },
    );
  });
}

function listFiles(root: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(root, relative));
    else files.push(relative);
  }
  return files;
}

function readFirstTarEntry(archive: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const extract = tar.extract();
    let content: string | undefined;
    extract.on('entry', (_header, entry, next) => {
      const chunks: Buffer[] = [];
      entry.on('data', (chunk: unknown) => {
        chunks.push(chunk as Buffer);
      });
      entry.on('end', () => {
        content ??= Buffer.concat(chunks).toString('utf8');
        next();
      });
      entry.resume();
    });
    extract.on('finish', () => resolve(content ?? ''));
    extract.on('error', reject);
    archive.pipe(extract);
  });
}

function splitReference(reference: string): [string, string] {
  const colon = reference.lastIndexOf(':');
  return colon > reference.lastIndexOf('/') ? [reference.slice(0, colon), reference.slice(colon + 1)] : [reference, 'latest'];
}

function toList(value: string | string[] | null | undefined): string[] {
  if (!value) return [];
  return Array.isArray(value) ? value : [value];
}
