import os from 'node:os';
import type { Logger } from '../logging.js';
import { cpuShare, ExecutionEnvironment, type EnvironmentBlueprint, type EnvironmentServices } from './environment.js';
import type { InvocationRequest, InvocationResult } from './invocation-types.js';

/**
 * The execution environments of one function version. A call takes the most recently used
 * environment that is ready. Failing that, it takes one whose runtime must start again, so that
 * /tmp carries over as on Lambda. Failing that, it creates a new one.
 */
export class FunctionPool {
  private readonly environments: ExecutionEnvironment[] = [];
  private readonly cpu: { periodMicros: number; quotaMicros: number };

  constructor(
    readonly blueprint: EnvironmentBlueprint,
    private readonly services: EnvironmentServices,
    private readonly logger: Logger,
  ) {
    this.cpu = cpuShare(blueprint.memoryMb, os.cpus().length);
  }

  get size(): number {
    return this.environments.length;
  }

  async invoke(request: InvocationRequest): Promise<InvocationResult> {
    const environment = this.take();
    return environment.invoke(request);
  }

  private take(): ExecutionEnvironment {
    const available = this.environments.filter((environment) => environment.available);
    const warm = available.filter((environment) => environment.initialized).sort((a, b) => b.lastUsedAt - a.lastUsedAt);
    const chosen = warm[0] ?? available.sort((a, b) => b.lastUsedAt - a.lastUsedAt)[0];
    if (chosen) return chosen;
    const created = new ExecutionEnvironment(this.blueprint, this.services, this.cpu);
    this.environments.push(created);
    this.logger.debug({ function: this.blueprint.functionName, environment: created.id }, 'New execution environment');
    return created;
  }

  async dispose(): Promise<void> {
    const all = this.environments.splice(0);
    await Promise.all(all.map((environment) => environment.dispose()));
  }
}
