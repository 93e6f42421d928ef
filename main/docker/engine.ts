/**
 * The narrow view of a container engine that the workbench needs. The engine code depends on
 * this interface only; dockerode-engine.ts implements it against a real Docker daemon.
 */
export type Mount =
  | { type: 'bind'; source: string; target: string; readOnly: boolean }
  /** An anonymous volume: disk-backed, kept across restarts, removed with the container. */
  | { type: 'volume'; target: string }
  | { type: 'tmpfs'; target: string; sizeBytes: number; mode?: number };

export interface ContainerSpec {
  name: string;
  image: string;
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  user?: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  mounts: Mount[];
  memoryBytes: number;
  /** CFS scheduler period and quota in microseconds; quota/period is the share of one CPU, -1 is no limit. */
  cpuPeriodMicros: number;
  cpuQuotaMicros: number;
  pidsLimit: number;
  /** Open file descriptors per process (RLIMIT_NOFILE, soft and hard). */
  openFilesLimit: number;
  /**
   * Runs a minimal init as PID 1 that reaps exited processes, as Lambda's own init does. Without
   * it, background processes that a function leaves behind stay as zombies and use up pidsLimit.
   */
  init: boolean;
  readOnlyRootfs: boolean;
  network: NetworkPlan;
}

/**
 * The route from containers to servers on the host's loopback: on a Linux engine they share the host's
 * network; on Docker Desktop they use the host.docker.internal name.
 */
export interface NetworkPlan {
  mode: 'host' | 'bridge';
  /** Host name or address that containers use to reach the workbench's loopback servers. */
  hostAddress: string;
}

export interface ContainerExit {
  exitCode: number;
  oomKilled: boolean;
}

export interface ContainerRun {
  /** Settles when the container's main process ends, however it ends. */
  readonly exited: Promise<ContainerExit>;
}

export type OutputListener = (stream: 'stdout' | 'stderr', chunk: Buffer) => void;

export interface ContainerHandle {
  readonly id: string;
  /** Starts the container, or starts it again after it stopped, streaming its output. */
  start(onOutput: OutputListener): Promise<ContainerRun>;
  /** Changes the CPU share of a created or running container; a quota of -1 lifts the limit. */
  updateCpu(periodMicros: number, quotaMicros: number): Promise<void>;
  kill(): Promise<void>;
  remove(): Promise<void>;
  /**
   * Returns the highest memory use of the container since it last started, in bytes, read
   * synchronously from the kernel's cgroup files. It is undefined where those cannot be read, as on Docker Desktop.
   */
  memoryPeakBytesNow(): number | undefined;
}

export interface ImageInfo {
  id: string;
  labels: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
  workingDir: string;
  env: string[];
  architecture: string;
}

export interface BuildProgress {
  (line: string): void;
}

export interface ContainerEngine {
  /** Fails with a WorkbenchError (DockerUnavailable) when no engine responds. */
  ping(): Promise<void>;
  networkPlan(): Promise<NetworkPlan>;
  createContainer(spec: ContainerSpec): Promise<ContainerHandle>;
  inspectImage(reference: string): Promise<ImageInfo | undefined>;
  /** Reads one small text file from an image without starting it. */
  readImageFile(reference: string, file: string): Promise<string | undefined>;
  /** Builds an image from a folder; the build runs on the host's network. */
  buildImage(contextDir: string, options: ImageBuildOptions, progress: BuildProgress): Promise<void>;
  /** Pulls an image from its registry, and returns false when no registry responds within the time limit. */
  pullImage(reference: string, progress: BuildProgress, timeoutMs: number): Promise<boolean>;
  /** Imports a root file system tar stream as an image. */
  importImage(tarStream: NodeJS.ReadableStream, reference: string): Promise<void>;
  /** Containers carrying the label (key=value), running or not. */
  listContainers(label: string): Promise<Array<{ id: string; labels: Record<string, string> }>>;
  removeContainer(id: string): Promise<void>;
}

export interface ImageBuildOptions {
  tag: string;
  dockerfile?: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
}
