import type {
  ContainerEngine,
  ContainerExit,
  ContainerHandle,
  ContainerRun,
  ContainerSpec,
  ImageInfo,
  OutputListener,
} from '../../main/docker/engine.js';

/** What a scripted runtime can do, over real HTTP against the workbench's Runtime API. */
export class FakeRuntime {
  constructor(
    private readonly base: string,
    readonly print: (line: string) => void,
    readonly killed: Promise<void>,
  ) {}

  async next(): Promise<{ requestId: string; deadlineMs: number; event: unknown }> {
    const response = await fetch(`${this.base}/invocation/next`);
    return {
      requestId: response.headers.get('lambda-runtime-aws-request-id')!,
      deadlineMs: Number(response.headers.get('lambda-runtime-deadline-ms')),
      event: await response.json(),
    };
  }

  async respond(requestId: string, body: unknown): Promise<number> {
    return (await fetch(`${this.base}/invocation/${requestId}/response`, { method: 'POST', body: JSON.stringify(body) })).status;
  }

  async fail(requestId: string, errorType: string, message: string): Promise<number> {
    const response = await fetch(`${this.base}/invocation/${requestId}/error`, {
      method: 'POST',
      headers: { 'Lambda-Runtime-Function-Error-Type': errorType },
      body: JSON.stringify({ errorType, errorMessage: message }),
    });
    return response.status;
  }

  async initError(errorType: string, message: string): Promise<number> {
    const response = await fetch(`${this.base}/init/error`, {
      method: 'POST',
      headers: { 'Lambda-Runtime-Function-Error-Type': errorType },
      body: JSON.stringify({ errorType, errorMessage: message }),
    });
    return response.status;
  }
}

/** A runtime's whole life: resolves with its exit status, or { oom: true } for a kill by the memory limit. */
export type RuntimeScript = (runtime: FakeRuntime, start: number) => Promise<number | 'oom'>;

/** A container engine without Docker: each start runs the script in this process. */
export class FakeContainerEngine implements ContainerEngine {
  readonly starts: string[] = [];
  readonly containers: FakeContainer[] = [];

  constructor(private readonly script: RuntimeScript) {}

  async ping(): Promise<void> {}
  async networkPlan() {
    return { mode: 'host' as const, hostAddress: '127.0.0.1' };
  }
  async createContainer(spec: ContainerSpec): Promise<ContainerHandle> {
    const container = new FakeContainer(spec, this.script, (id) => this.starts.push(id));
    this.containers.push(container);
    return container;
  }
  async inspectImage(): Promise<ImageInfo | undefined> {
    return undefined;
  }
  async readImageFile(): Promise<string | undefined> {
    return undefined;
  }
  async buildImage(): Promise<void> {}
  async pullImage(): Promise<boolean> {
    return false;
  }
  async importImage(): Promise<void> {}
  async listContainers() {
    return [];
  }
  async removeContainer(): Promise<void> {}
}

export class FakeContainer implements ContainerHandle {
  readonly id = Math.random().toString(16).slice(2);
  private startCount = 0;
  private kill_: (() => void) | undefined;
  removed = false;
  cpuUpdates: Array<[number, number]> = [];

  constructor(
    readonly spec: ContainerSpec,
    private readonly script: RuntimeScript,
    private readonly onStart: (id: string) => void,
  ) {}

  async start(onOutput: OutputListener): Promise<ContainerRun> {
    this.startCount += 1;
    this.onStart(this.id);
    const killed = new Promise<void>((resolve) => (this.kill_ = resolve));
    const runtime = new FakeRuntime(
      `http://${this.spec.env.AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime`,
      (line) => onOutput('stdout', Buffer.from(`${line}\n`)),
      killed,
    );
    const start = this.startCount;
    const exited: Promise<ContainerExit> = Promise.race([
      this.script(runtime, start).then((status) =>
        status === 'oom' ? { exitCode: 137, oomKilled: true } : { exitCode: status, oomKilled: false },
      ),
      killed.then(() => ({ exitCode: 137, oomKilled: false })),
    ]);
    return { exited };
  }
  async updateCpu(period: number, quota: number): Promise<void> {
    this.cpuUpdates.push([period, quota]);
  }
  async kill(): Promise<void> {
    this.kill_?.();
  }
  async remove(): Promise<void> {
    this.removed = true;
    this.kill_?.();
  }
  memoryPeakBytesNow(): number {
    return 42 * 1024 * 1024;
  }
}

/** Waits forever, or until the container is killed. */
export function hang(runtime: FakeRuntime): Promise<never> {
  return runtime.killed.then(() => new Promise<never>(() => undefined));
}
