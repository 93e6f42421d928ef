import { EventEmitter } from 'node:events';
import os from 'node:os';
import { WorkbenchError } from '../core/errors.js';
import type { RuntimeFamily } from '../core/runtimes.js';
import { findFunction, type Workspace } from '../core/template/workspace.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { BuildProgress, ContainerEngine, NetworkPlan } from '../docker/engine.js';
import type { RuntimeImages } from '../docker/runtime-images.js';
import type { Logger } from '../logging.js';
import type { LogStore } from '../store/log-store.js';
import { buildBlueprint, PROCESS_INSTANCE, type AccountSettings } from './blueprint.js';
import { CodeStore } from './code-store.js';
import { FunctionPool } from './function-pool.js';
import type { InvocationReport, InvocationRequest, InvocationResult } from './invocation-types.js';

export interface EngineOptions {
  workspace: Workspace;
  containers: ContainerEngine;
  images: RuntimeImages;
  logs: LogStore;
  logger: Logger;
  account: AccountSettings;
  codeCacheDir: string;
  /** Identifies the workspace in container labels. */
  workspaceKey: string;
}

export interface EngineEvents {
  report: [InvocationReport];
}

/**
 * The local Lambda service for one workspace. It reads the workspace's functions, keeps a pool
 * of execution environments per function, and runs invocations in them.
 */
export class LambdaEngine extends EventEmitter<EngineEvents> {
  private readonly pools = new Map<string, Promise<FunctionPool>>();
  private readonly codeStore: CodeStore;
  private network: NetworkPlan | undefined;
  private shuttingDown = false;

  constructor(private readonly options: EngineOptions) {
    super();
    this.codeStore = new CodeStore(options.codeCacheDir);
  }

  get account(): AccountSettings {
    return this.options.account;
  }

  get workspace(): Workspace {
    return this.options.workspace;
  }

  /** Checks that Docker responds, and removes containers that earlier, dead workbench processes left behind. */
  async start(): Promise<void> {
    const { containers, logger } = this.options;
    await containers.ping();
    this.network = await containers.networkPlan();
    const leftovers = await containers.listContainers('dev.lambda-workbench=true');
    const stale = leftovers.filter(({ labels }) => isOrphan(labels));
    await Promise.all(stale.map(({ id }) => containers.removeContainer(id)));
    if (stale.length > 0) logger.info(`Removed ${stale.length} container(s) left by an earlier run`);
  }

  /** Builds missing or outdated runtime images for the workspace's functions. */
  async ensureImages(progress: BuildProgress): Promise<void> {
    const families = [...new Set(this.functions().flatMap((fn) => (fn.runtime ? [fn.runtime.family] : [])))] as RuntimeFamily[];
    const outdated = await this.options.images.outdated(families);
    if (outdated.length > 0) await this.options.images.build(outdated, progress);
  }

  functions(): FunctionConfig[] {
    return this.options.workspace.functions;
  }

  findFunction(name: string): FunctionConfig | undefined {
    return findFunction(this.options.workspace, name);
  }

  async invoke(functionName: string, request: InvocationRequest): Promise<InvocationResult> {
    if (this.shuttingDown) throw new WorkbenchError('ShuttingDown', 'platform', 'The workbench is shutting down.');
    const fn = this.findFunction(functionName);
    if (!fn) throw new WorkbenchError('FunctionNotFound', 'caller', `Function not found: ${functionName}`);
    const pool = await this.poolFor(fn);
    this.options.logger.debug({ function: fn.name, requestId: request.requestId }, 'Invoke');
    return pool.invoke(request);
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    const pools = await Promise.allSettled([...this.pools.values()]);
    this.pools.clear();
    await Promise.all(pools.map((settled) => (settled.status === 'fulfilled' ? settled.value.dispose() : undefined)));
  }

  private poolFor(fn: FunctionConfig): Promise<FunctionPool> {
    let pool = this.pools.get(fn.name);
    if (!pool) {
      pool = this.createPool(fn);
      this.pools.set(fn.name, pool);
      // A failed setup (image missing, bad zip) is retried on the next call rather than cached.
      pool.catch(() => this.pools.delete(fn.name));
    }
    return pool;
  }

  private async createPool(fn: FunctionConfig): Promise<FunctionPool> {
    const { options } = this;
    if (fn.packageType === 'Image' || !fn.runtime) {
      throw new WorkbenchError(
        'UnsupportedPackage',
        'caller',
        `${fn.name} is an Image function; container image functions are not supported yet.`,
      );
    }
    if (fn.architecture === 'arm64' && os.arch() !== 'arm64') {
      options.logger.warn(`${fn.name} is configured for arm64; it runs on this machine's ${os.arch()} instead.`);
    }
    const image = await options.images.resolve(fn.runtime);
    const codeDir = await this.codeStore.folderFor(fn.code, fn.runtime);
    const blueprint = buildBlueprint(fn, image, codeDir, options.account, options.workspaceKey);
    const network = this.network ?? (await options.containers.networkPlan());
    return new FunctionPool(
      blueprint,
      {
        engine: options.containers,
        network,
        logs: options.logs,
        logger: options.logger,
        onReport: (report) => this.emit('report', report),
      },
      options.logger,
    );
  }
}

/** Tells whether a container's owning workbench process on this host has ended. */
function isOrphan(labels: Record<string, string>): boolean {
  if (labels['dev.lambda-workbench.owner-host'] !== os.hostname()) return false;
  const pid = Number(labels['dev.lambda-workbench.owner-pid']);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return labels['dev.lambda-workbench.owner-instance'] !== PROCESS_INSTANCE;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
