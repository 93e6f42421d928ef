import os from 'node:os';
import type { Logger } from '../logging.js';
import { cpuShare, ExecutionEnvironment, type EnvironmentBlueprint, type EnvironmentServices } from './environment.js';
import type { InvocationRequest, InvocationResult } from './invocation-types.js';

export interface PoolHooks {
  /** Called before a new environment is created, so the caller can reclaim an idle one elsewhere. */
  beforeNewEnvironment?(pool: FunctionPool): void;
}

export interface ProvisionedStatus {
  requested: number;
  /** Provisioned environments created. */
  allocated: number;
  /** Provisioned environments initialised and ready to serve. */
  available: number;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  reason?: string;
}

/**
 * The execution environments of one function version. A call takes, in this order: a ready
 * provisioned environment, the most recently used ready environment, one whose runtime must
 * start again (so that /tmp carries over, as on Lambda), or a new one.
 */
export class FunctionPool {
  private readonly environments: ExecutionEnvironment[] = [];
  private readonly cpu: { periodMicros: number; quotaMicros: number };
  private draining = false;
  private provisionedRequested = 0;
  private provisionFailure: string | undefined;
  private provisioning: Promise<void> | undefined;

  constructor(
    readonly blueprint: EnvironmentBlueprint,
    private readonly services: EnvironmentServices,
    private readonly logger: Logger,
    private readonly hooks: PoolHooks = {},
  ) {
    this.cpu = cpuShare(blueprint.memoryMb, os.cpus().length);
  }

  get size(): number {
    return this.environments.length;
  }

  get version(): string {
    return this.blueprint.version;
  }

  async invoke(request: InvocationRequest): Promise<InvocationResult> {
    if (this.draining) throw new Error(`The pool of ${this.blueprint.functionName}:${this.version} is draining.`);
    const environment = this.take();
    try {
      return await environment.invoke(request);
    } finally {
      if (this.draining && !environment.provisioned) void this.retire(environment);
    }
  }

  /** Keeps `count` provisioned environments initialised; resolves once they are ready. */
  provision(count: number): Promise<void> {
    this.provisionedRequested = count;
    this.provisionFailure = undefined;
    const provisioned = this.environments.filter((environment) => environment.provisioned);
    for (const extra of provisioned.slice(count)) void this.retire(extra);
    const missing = Math.max(0, count - provisioned.length);
    const created = Array.from({ length: missing }, () => this.create(true));
    const started = provisioned.slice(0, count).concat(created);
    this.provisioning = Promise.all(
      started.map((environment) => (environment.idle && !environment.initialized ? environment.prewarm() : Promise.resolve())),
    ).then(
      () => undefined,
      (error: Error) => {
        this.provisionFailure = error.message;
        // A pool stopped while it provisioned fails its starts on purpose.
        if (this.draining) return;
        this.logger.error(
          { function: this.blueprint.functionName, version: this.version, err: error },
          'Provisioned concurrency failed to initialise',
        );
      },
    );
    return this.provisioning;
  }

  provisionedStatus(): ProvisionedStatus {
    const provisioned = this.environments.filter((environment) => environment.provisioned);
    const available = provisioned.filter((environment) => environment.initialized).length;
    let status: ProvisionedStatus['status'] = 'IN_PROGRESS';
    if (this.provisionFailure) status = 'FAILED';
    else if (available >= this.provisionedRequested) status = 'READY';
    return {
      requested: this.provisionedRequested,
      allocated: provisioned.length,
      available,
      status,
      ...(this.provisionFailure ? { reason: this.provisionFailure } : {}),
    };
  }

  /** Disposes idle on-demand environments unused since the given time. Returns how many. */
  reapIdle(unusedSince: number): number {
    const stale = this.environments.filter(
      (environment) => !environment.provisioned && environment.idle && environment.lastUsedAt < unusedSince,
    );
    for (const environment of stale) void this.retire(environment);
    return stale.length;
  }

  /** Returns the least recently used idle on-demand environment, if any. */
  leastRecentlyUsedIdle(): ExecutionEnvironment | undefined {
    return this.environments
      .filter((environment) => !environment.provisioned && environment.idle)
      .sort((a, b) => a.lastUsedAt - b.lastUsedAt)[0];
  }

  async retire(environment: ExecutionEnvironment): Promise<void> {
    const index = this.environments.indexOf(environment);
    if (index >= 0) this.environments.splice(index, 1);
    await environment.dispose();
  }

  /**
   * Stops taking calls: idle environments go now, busy ones when their invocation ends. Used when
   * the function's code or configuration changed.
   */
  drain(): Promise<void> {
    this.draining = true;
    this.provisionedRequested = 0;
    const idle = this.environments.filter((environment) => environment.idle);
    return Promise.all(idle.map((environment) => this.retire(environment))).then(() => undefined);
  }

  get busyCount(): number {
    return this.environments.filter((environment) => !environment.idle).length;
  }

  async dispose(): Promise<void> {
    this.draining = true;
    const all = this.environments.splice(0);
    await Promise.all(all.map((environment) => environment.dispose()));
  }

  private take(): ExecutionEnvironment {
    const available = this.environments.filter((environment) => environment.available);
    const byRecentUse = (a: ExecutionEnvironment, b: ExecutionEnvironment): number => b.lastUsedAt - a.lastUsedAt;
    const ready = available.filter((environment) => environment.initialized);
    const chosen =
      ready.filter((environment) => environment.provisioned).sort(byRecentUse)[0] ??
      ready.sort(byRecentUse)[0] ??
      available.sort(byRecentUse)[0];
    if (chosen) return chosen;
    this.hooks.beforeNewEnvironment?.(this);
    return this.create(false);
  }

  private create(provisioned: boolean): ExecutionEnvironment {
    const created = new ExecutionEnvironment(this.blueprint, this.services, this.cpu, provisioned);
    this.environments.push(created);
    this.logger.debug(
      { function: this.blueprint.functionName, version: this.version, environment: created.id, provisioned },
      'New execution environment',
    );
    return created;
  }
}
