import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { EnvironmentStateMachine } from '../core/environment-state.js';
import { errorMessage, WorkbenchError } from '../core/errors.js';
import {
  billedDurationMs,
  endLine,
  initReportLine,
  logStreamName,
  reportLine,
  runtimeExitMessage,
  startLine,
  timeoutMessage,
  traceHeader,
} from '../core/lambda-format.js';
import { LIMITS } from '../core/limits.js';
import type { ContainerEngine, ContainerExit, ContainerHandle, Mount, NetworkPlan } from '../docker/engine.js';
import type { TmpStorage } from '../docker/tmp-storage.js';
import type { Logger } from '../logging.js';
import { RuntimeApiServer, type NextWaiter, type RuntimeApiHandler, type RuntimeReply } from '../runtime-api/server.js';
import type { LogStore } from '../store/log-store.js';
import type { InvocationReport, InvocationRequest, InvocationResult, InvocationStatus } from './invocation-types.js';
import { LineSplitter } from './line-splitter.js';

/** Everything needed to create execution environments of one function version. */
export interface EnvironmentBlueprint {
  functionName: string;
  version: string;
  /** Unqualified function ARN; the qualifier of each call is appended to it. */
  functionArn: string;
  logGroupName: string;
  image: string;
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  user?: string;
  /** Variables of the container, except the two that differ per environment. */
  environment: Record<string, string>;
  mounts: Mount[];
  memoryMb: number;
  timeoutSeconds: number;
  ephemeralStorageMb: number;
  labels: Record<string, string>;
  namePrefix: string;
}

export interface EnvironmentServices {
  engine: ContainerEngine;
  tmpStorage: TmpStorage;
  network: NetworkPlan;
  logs: LogStore;
  logger: Logger;
  onReport?: (report: InvocationReport) => void;
}

type Outcome = {
  status: InvocationStatus;
  payload: Buffer;
  errorType?: string;
  memoryPeakMb?: number;
  /** Output bytes the runtime reported with its result; END waits until they have arrived. */
  outputBytes?: number;
};

interface ActiveInvocation {
  request: InvocationRequest;
  initDurationMs?: number;
  deliveredAt?: number;
  timer?: NodeJS.Timeout;
  lines: string[];
  done: boolean;
  resolve(result: InvocationResult): void;
}

interface PendingReport {
  invocation: ActiveInvocation;
  outcome: Outcome;
  durationMs: number;
  createdAt: number;
  written: boolean;
  resolve(report: InvocationReport): void;
}

type InitOutcome =
  | { ok: true; initDurationMs: number }
  | { ok: false; initDurationMs: number; errorType: string; payload: Buffer; status: 'error' | 'timeout' };

interface InitWatch {
  startedAt: number;
  timer?: NodeJS.Timeout;
  initError?: { errorType: string; payload: Buffer };
  timedOut: boolean;
  resolve(outcome: InitOutcome): void;
}

/**
 * Output travels through Docker while the result comes over the Runtime API, so the last lines
 * can arrive after the result. END and REPORT wait for the byte count that the runtime reported,
 * as long as output keeps arriving (a function that printed megabytes takes a while to drain),
 * up to a cap. When a runtime reports none, they wait until the output has been quiet for a
 * moment, and never longer than the maximum.
 */
/** Init output kept for the first invocation's log tail; the log store keeps all of it. */
const MAX_INIT_LINES = 1_000;
const OUTPUT_QUIET_MS = 3;
const OUTPUT_STALLED_MS = 500;
const OUTPUT_WAIT_CAP_MS = 15_000;
const OUTPUT_QUIET_MAX_MS = 50;
const MEMORY_SAMPLE_MS = 50;

/**
 * Share of one CPU for a memory size: 1,769 MB buys one vCPU (Lambda's documented ratio). The
 * CFS period is lengthened for small shares so each period still grants the kernel's 1 ms
 * minimum quota.
 */
export function cpuShare(memoryMb: number, hostCpus: number): { periodMicros: number; quotaMicros: number } {
  const share = Math.min(memoryMb / LIMITS.memoryPerVcpuMb, hostCpus);
  const periodMicros = Math.min(100_000, Math.max(10_000, Math.ceil(1_000 / share)));
  return { periodMicros, quotaMicros: Math.max(1_000, Math.round(periodMicros * share)) };
}

/**
 * One execution environment: a container running the function's runtime, the Runtime API
 * endpoint that runtime polls, and the log stream it writes to. It runs one invocation at a
 * time; the pool above it decides which environment takes which call.
 */
export class ExecutionEnvironment {
  readonly id = randomBytes(6).toString('hex');
  readonly logStreamName: string;
  private readonly machine = new EnvironmentStateMachine();
  private container: ContainerHandle | undefined;
  private api: RuntimeApiServer | undefined;
  private waiter: NextWaiter | undefined;
  private current: ActiveInvocation | undefined;
  private pendingReport: PendingReport | undefined;
  /** Output of the init phase, which the first invocation's log tail starts with, as on Lambda. */
  private initLines: string[] = [];
  /** From the start of init until the next invocation begins. */
  private collectingInit = false;
  private initWatch: InitWatch | undefined;
  private resetDone: Promise<void> | undefined;
  private resolveReset: (() => void) | undefined;
  private generation = 0;
  private lastOutputAt = 0;
  /** Bytes of output received from the current run of the container. */
  private outputBytes = 0;
  private lastMemoryPeakMb = 0;
  private readonly splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  /** Request ids that timed out recently, so that a late result is recognised as late, not unknown. */
  private readonly timedOut: string[] = [];
  /** Set from the moment a call takes this environment until its result is returned. */
  private claimed = false;
  /** Reads the memory peak while the runtime works, so a runtime that dies still has a figure. */
  private memorySampler: NodeJS.Timeout | undefined;
  lastUsedAt = 0;

  constructor(
    private readonly blueprint: EnvironmentBlueprint,
    private readonly services: EnvironmentServices,
    private readonly cpu: { periodMicros: number; quotaMicros: number },
    /** Provisioned environments are initialised ahead of time and are not reclaimed when idle. */
    readonly provisioned = false,
  ) {
    this.logStreamName = logStreamName(blueprint.version, new Date());
    services.logs.createStream(blueprint.logGroupName, this.logStreamName, Date.now());
  }

  get state(): string {
    return this.machine.state;
  }

  /** True when the environment can take an invocation now (possibly after re-initialising). */
  get available(): boolean {
    return !this.claimed && this.machine.is('cold', 'ready', 'dead', 'resetting');
  }

  get initialized(): boolean {
    return this.machine.is('ready', 'busy');
  }

  /** True while no call has claimed the environment and it is not being reset. */
  get idle(): boolean {
    return !this.claimed && this.machine.is('cold', 'ready', 'dead');
  }

  get disposed(): boolean {
    return this.machine.is('disposed');
  }

  /**
   * Starts the runtime ahead of any invocation, as provisioned concurrency does. Fails with the
   * init error when the runtime cannot start.
   */
  async prewarm(): Promise<void> {
    if (!this.available) throw new Error(`Execution environment ${this.id} is ${this.machine.state}, not available.`);
    if (this.machine.is('ready')) return;
    this.claimed = true;
    try {
      if (this.machine.is('resetting')) await this.resetDone;
      if (this.machine.is('ready')) return;
      const init = await this.initialize();
      if (!init.ok) {
        const lines = [initReportLine(init.initDurationMs, init.status, init.errorType)];
        for (const line of lines) this.appendLog(line, 'platform');
        throw new WorkbenchError(
          'InitFailed',
          'function',
          `The runtime failed to initialise (${init.errorType}): ${init.payload.toString('utf8')}`,
        );
      }
    } finally {
      this.claimed = false;
    }
  }

  async invoke(request: InvocationRequest): Promise<InvocationResult> {
    if (!this.available) throw new Error(`Execution environment ${this.id} is ${this.machine.state}, not available.`);
    this.claimed = true;
    this.lastUsedAt = Date.now();
    try {
      const startedAt = performance.now();
      if (this.machine.is('resetting')) await this.resetDone;

      let initDurationMs: number | undefined;
      if (this.machine.is('cold', 'dead')) {
        const init = await this.initialize();
        if (!init.ok) return this.failInit(request, init, startedAt);
        initDurationMs = init.initDurationMs;
      }

      this.machine.moveTo('busy');
      this.writePendingReport();
      return await new Promise<InvocationResult>((resolve) => {
        // A call that waited for init gets its output first; a provisioned environment's was earlier.
        const lines = initDurationMs === undefined ? [] : this.initLines;
        this.initLines = [];
        this.collectingInit = false;
        this.current = { request, lines, done: false, resolve, ...(initDurationMs === undefined ? {} : { initDurationMs }) };
        if (this.waiter && !this.waiter.closed) this.deliver(this.current);
      });
    } finally {
      this.claimed = false;
    }
  }

  async dispose(): Promise<void> {
    if (this.machine.is('disposed')) return;
    this.machine.moveTo('disposed');
    this.sampleMemory(false);
    clearTimeout(this.initWatch?.timer);
    clearTimeout(this.current?.timer);
    if (this.current && !this.current.done) {
      this.finish(this.current, this.platformFailure('Runtime.Shutdown', 'The workbench is shutting down.'));
    }
    this.writePendingReport();
    await this.container?.remove().catch((error) => this.services.logger.warn({ err: error }, 'Could not remove a container'));
    await this.services.tmpStorage
      .release(this.id)
      .catch((error) => this.services.logger.warn({ err: error }, 'Could not remove a /tmp file system'));
    await this.api?.close();
  }

  // ---- initialisation ----

  private async initialize(): Promise<InitOutcome> {
    this.machine.moveTo('initializing');
    this.collectingInit = true;
    this.initLines = [];
    try {
      this.api ??= await RuntimeApiServer.listen('127.0.0.1', this.runtimeApiHandler());
      if (!this.container) {
        const tmp = await this.services.tmpStorage.create(this.id, this.blueprint.ephemeralStorageMb);
        const created = await this.services.engine.createContainer(this.containerSpec(this.api.port, tmp));
        if (this.machine.is('disposed')) {
          // Disposed while the container was being created: nothing else will remove it.
          await created.remove().catch(() => undefined);
          await this.services.tmpStorage.release(this.id).catch(() => undefined);
          throw new WorkbenchError('EnvironmentDisposed', 'platform', 'The execution environment was stopped while it started.');
        }
        this.container = created;
      } else {
        // Lambda lets the init phase use more CPU than the function's share; so does a re-init here.
        await this.container.updateCpu(this.cpu.periodMicros, -1);
      }
    } catch (error) {
      this.markDead();
      throw error;
    }

    const container = this.container;
    const generation = ++this.generation;
    this.outputBytes = 0;
    return new Promise<InitOutcome>((resolve, reject) => {
      const watch: InitWatch = { startedAt: performance.now(), timedOut: false, resolve };
      this.initWatch = watch;
      container
        .start((stream, chunk) => this.onOutput(stream, chunk))
        .then(
          (run) => {
            watch.startedAt = performance.now();
            watch.timer = setTimeout(() => this.onInitTimeout(watch), LIMITS.initTimeoutMs);
            run.exited.then(
              (exit) => this.onExit(exit, generation),
              (error) => this.onExit({ exitCode: -1, oomKilled: false }, generation, error),
            );
          },
          (error) => {
            this.initWatch = undefined;
            this.markDead();
            reject(error);
          },
        );
    });
  }

  /** Marks the runtime gone, unless the whole environment was disposed meanwhile. */
  private markDead(): void {
    if (!this.machine.is('disposed')) this.machine.moveTo('dead');
  }

  private containerSpec(apiPort: number, tmp: Mount) {
    const { blueprint } = this;
    return {
      name: `${blueprint.namePrefix}-${this.id}`,
      image: blueprint.image,
      ...(blueprint.entrypoint ? { entrypoint: blueprint.entrypoint } : {}),
      ...(blueprint.cmd ? { cmd: blueprint.cmd } : {}),
      ...(blueprint.workingDir ? { workingDir: blueprint.workingDir } : {}),
      ...(blueprint.user ? { user: blueprint.user } : {}),
      env: {
        ...blueprint.environment,
        AWS_LAMBDA_INITIALIZATION_TYPE: this.provisioned ? 'provisioned-concurrency' : 'on-demand',
        AWS_LAMBDA_LOG_STREAM_NAME: this.logStreamName,
        AWS_LAMBDA_RUNTIME_API: `${this.services.network.hostAddress}:${apiPort}`,
      },
      labels: { ...blueprint.labels, 'dev.lambda-workbench.environment': this.id },
      mounts: [...blueprint.mounts, tmp],
      memoryBytes: blueprint.memoryMb * 1024 * 1024,
      cpuPeriodMicros: this.cpu.periodMicros,
      cpuQuotaMicros: -1,
      pidsLimit: LIMITS.processes,
      openFilesLimit: LIMITS.openFiles,
      init: true,
      readOnlyRootfs: true,
      network: this.services.network,
    };
  }

  private completeInit(watch: InitWatch): void {
    clearTimeout(watch.timer);
    this.sampleMemory(false);
    this.readMemoryPeakMb();
    this.initWatch = undefined;
    const initDurationMs = performance.now() - watch.startedAt;
    this.machine.moveTo('ready');
    // The share applies from here on. The first invocation does not wait for Docker to confirm
    // it, so it may run unthrottled for the few milliseconds that the update takes.
    this.container!.updateCpu(this.cpu.periodMicros, this.cpu.quotaMicros).catch((error) => {
      // A runtime that already exited has no CPU share to set; its next start sets one again.
      if (
        this.machine.is('disposed', 'dead', 'resetting') ||
        /not running|stopped container|marked for removal|No such container/i.test(errorMessage(error))
      )
        return;
      this.services.logger.warn({ err: error, function: this.blueprint.functionName }, 'Could not apply the CPU share after init');
    });
    watch.resolve({ ok: true, initDurationMs });
  }

  private onInitTimeout(watch: InitWatch): void {
    if (this.initWatch !== watch) return;
    watch.timedOut = true;
    this.services.logger.warn(
      { function: this.blueprint.functionName },
      `Init did not finish within ${LIMITS.initTimeoutMs} ms; stopping the runtime`,
    );
    void this.container?.kill();
  }

  private failInit(request: InvocationRequest, init: Extract<InitOutcome, { ok: false }>, startedAt: number): InvocationResult {
    const durationMs = performance.now() - startedAt;
    const lines: string[] = this.initLines;
    this.initLines = [];
    this.collectingInit = false;
    const write = (line: string, requestId?: string): void => {
      lines.push(line);
      this.appendLog(line, 'platform', requestId);
    };
    write(initReportLine(init.initDurationMs, init.status, init.errorType));
    write(startLine(request.requestId, this.blueprint.version), request.requestId);
    write(`Unknown application error occurred\r${init.errorType}`, request.requestId);
    write(endLine(request.requestId), request.requestId);
    const report = reportLine({
      requestId: request.requestId,
      durationMs,
      memorySizeMb: this.blueprint.memoryMb,
      maxMemoryUsedMb: this.lastMemoryPeakMb,
      status: init.status,
      errorType: init.errorType,
    });
    write(report, request.requestId);
    const invocationReport = this.buildReport(request.requestId, init.status, init.errorType, durationMs, undefined, lines);
    this.services.onReport?.(invocationReport);
    return {
      requestId: request.requestId,
      executedVersion: this.blueprint.version,
      status: init.status,
      payload: init.payload,
      functionError: 'Unhandled',
      errorType: init.errorType,
      durationMs,
      memorySizeMb: this.blueprint.memoryMb,
      report: Promise.resolve(invocationReport),
    };
  }

  // ---- the Runtime API side ----

  private runtimeApiHandler(): RuntimeApiHandler {
    return {
      next: (waiter) => this.onNext(waiter),
      response: (requestId, payload, size, outputBytes) => this.onResponse(requestId, payload, size, outputBytes),
      error: (requestId, errorType, payload, outputBytes) => this.onError(requestId, errorType, payload, outputBytes),
      initError: (errorType, payload) => this.onInitError(errorType, payload),
    };
  }

  private onNext(waiter: NextWaiter): void {
    this.waiter = waiter;
    if (this.initWatch && this.machine.is('initializing')) {
      this.completeInit(this.initWatch);
      return;
    }
    if (this.current && this.current.deliveredAt === undefined) this.deliver(this.current);
  }

  private deliver(invocation: ActiveInvocation): void {
    const waiter = this.waiter!;
    this.waiter = undefined;
    const { request } = invocation;
    const timeoutMs = this.blueprint.timeoutSeconds * 1000;
    invocation.deliveredAt = performance.now();
    this.writeLine(invocation, startLine(request.requestId, this.blueprint.version), 'platform');
    const qualifier = request.qualifier ? `:${request.qualifier}` : '';
    waiter.deliver({
      requestId: request.requestId,
      deadlineMs: Date.now() + timeoutMs,
      invokedFunctionArn: `${this.blueprint.functionArn}${qualifier}`,
      traceId: request.traceId ?? traceHeader(new Date()),
      ...(request.clientContext ? { clientContext: request.clientContext } : {}),
      ...(request.cognitoIdentity ? { cognitoIdentity: request.cognitoIdentity } : {}),
      payload: request.payload,
    });
    invocation.timer = setTimeout(() => this.onTimeout(invocation), timeoutMs);
    this.sampleMemory(true);
  }

  private sampleMemory(on: boolean): void {
    clearInterval(this.memorySampler);
    this.memorySampler = undefined;
    if (!on) return;
    this.memorySampler = setInterval(() => this.readMemoryPeakMb(), MEMORY_SAMPLE_MS);
    this.memorySampler.unref();
  }

  private onResponse(requestId: string, payload: Buffer, size: number, outputBytes?: number): RuntimeReply {
    const invocation = this.activeFor(requestId);
    if (!invocation) return this.unknownRequest(requestId);
    if (size > LIMITS.syncResponseBytes) {
      const body = JSON.stringify({
        errorMessage: `Response payload size (${size} bytes) exceeded maximum allowed payload size (${LIMITS.syncResponseBytes} bytes).`,
        errorType: 'Function.ResponseSizeTooLarge',
      });
      this.finishAndRelease(invocation, {
        status: 'error',
        payload: Buffer.from(body),
        errorType: 'Function.ResponseSizeTooLarge',
        ...withBytes(outputBytes),
      });
      return {
        status: 413,
        errorType: 'RequestEntityTooLarge',
        errorMessage: `Exceeded maximum allowed payload size (${LIMITS.syncResponseBytes} bytes).`,
      };
    }
    this.finishAndRelease(invocation, { status: 'success', payload, ...withBytes(outputBytes) });
    return { status: 202 };
  }

  private onError(requestId: string, errorType: string, payload: Buffer, outputBytes?: number): RuntimeReply {
    const invocation = this.activeFor(requestId);
    if (!invocation) return this.unknownRequest(requestId);
    const type = errorType || errorTypeFromBody(payload) || 'Unhandled';
    const body = payload.length > 0 ? payload : Buffer.from(JSON.stringify({ errorMessage: type, errorType: type }));
    this.finishAndRelease(invocation, { status: 'error', payload: body, errorType: type, ...withBytes(outputBytes) });
    return { status: 202 };
  }

  private onInitError(errorType: string, payload: Buffer): RuntimeReply {
    const watch = this.initWatch;
    if (!watch || !this.machine.is('initializing')) {
      return { status: 403, errorType: 'InvalidStateTransition', errorMessage: `Init error reported in state ${this.machine.state}.` };
    }
    const type = errorType || errorTypeFromBody(payload) || 'Runtime.Unknown';
    watch.initError = {
      errorType: type,
      payload: payload.length > 0 ? payload : Buffer.from(JSON.stringify({ errorMessage: type, errorType: type })),
    };
    // As on Lambda, a runtime that failed its init is stopped; its exit completes the init.
    setImmediate(() => void this.container?.kill());
    return { status: 202 };
  }

  private activeFor(requestId: string): ActiveInvocation | undefined {
    const invocation = this.current;
    return invocation && invocation.request.requestId === requestId && invocation.deliveredAt !== undefined && !invocation.done
      ? invocation
      : undefined;
  }

  private unknownRequest(requestId: string): RuntimeReply {
    if (this.timedOut.includes(requestId)) {
      this.services.logger.debug(
        { requestId, function: this.blueprint.functionName },
        'The runtime answered an invocation after its timeout',
      );
      return { status: 403, errorType: 'InvalidStateTransition', errorMessage: `Invocation ${requestId} already timed out.` };
    }
    return { status: 400, errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' };
  }

  // ---- endings ----

  private finishAndRelease(invocation: ActiveInvocation, outcome: Outcome): void {
    this.finish(invocation, outcome);
    this.machine.moveTo('ready');
  }

  private onTimeout(invocation: ActiveInvocation): void {
    if (invocation.done) return;
    const requestId = invocation.request.requestId;
    const message = timeoutMessage(this.blueprint.timeoutSeconds);
    this.writeLine(invocation, `${new Date().toISOString()} ${requestId} ${message}`, 'platform');
    const memoryPeakMb = this.readMemoryPeakMb();
    const payload = Buffer.from(
      JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: ${message}` }),
    );
    this.timedOut.push(requestId);
    if (this.timedOut.length > 16) this.timedOut.shift();

    this.machine.moveTo('resetting');
    this.resetDone = new Promise<void>((resolve) => (this.resolveReset = resolve));
    this.finish(invocation, {
      status: 'timeout',
      payload,
      errorType: 'Sandbox.Timedout',
      ...(memoryPeakMb === undefined ? {} : { memoryPeakMb }),
    });
    // Lambda resets the runtime after a timeout: its memory is lost, /tmp is kept.
    this.container!.kill().catch((error) => {
      this.services.logger.error({ err: error, function: this.blueprint.functionName }, 'Could not stop a runtime after a timeout');
    });
  }

  private onExit(exit: ContainerExit, generation: number, error?: unknown): void {
    if (generation !== this.generation || this.machine.is('disposed')) return;
    this.sampleMemory(false);
    this.flushPartialLines();
    this.waiter = undefined;
    if (error) this.services.logger.warn({ err: error, function: this.blueprint.functionName }, 'Lost track of a container');
    const watch = this.initWatch;

    if (this.machine.is('initializing') && watch) {
      clearTimeout(watch.timer);
      this.initWatch = undefined;
      this.machine.moveTo('dead');
      const initDurationMs = performance.now() - watch.startedAt;
      if (watch.timedOut) {
        const message = `RequestId: init Error: ${timeoutMessage(LIMITS.initTimeoutMs / 1000)}`;
        watch.resolve({
          ok: false,
          initDurationMs,
          status: 'timeout',
          errorType: 'Sandbox.Timedout',
          payload: Buffer.from(JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: message })),
        });
      } else if (watch.initError) {
        watch.resolve({ ok: false, initDurationMs, status: 'error', ...watch.initError });
      } else {
        const errorType = exit.oomKilled ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
        const payload = Buffer.from(JSON.stringify({ errorType, errorMessage: runtimeExitMessage('init', exit.exitCode) }));
        watch.resolve({ ok: false, initDurationMs, status: 'error', errorType, payload });
      }
      return;
    }

    if (this.machine.is('resetting')) {
      this.machine.moveTo('dead');
      this.resolveReset?.();
      return;
    }

    if (this.machine.is('busy') && this.current) {
      const invocation = this.current;
      const requestId = invocation.request.requestId;
      const errorType = exit.oomKilled ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
      const message = runtimeExitMessage(requestId, exit.exitCode);
      this.writeLine(invocation, message, 'platform');
      this.writeLine(invocation, errorType, 'platform');
      this.machine.moveTo('dead');
      this.finish(invocation, {
        status: 'error',
        payload: Buffer.from(JSON.stringify({ errorType, errorMessage: message })),
        errorType,
        ...(exit.oomKilled ? { memoryPeakMb: this.blueprint.memoryMb } : {}),
      });
      return;
    }

    if (this.machine.is('ready')) {
      this.services.logger.info(
        { function: this.blueprint.functionName, environment: this.id, exitCode: exit.exitCode },
        'The runtime exited between invocations; the next call starts it again',
      );
      this.machine.moveTo('dead');
    }
  }

  private platformFailure(errorType: string, message: string): Outcome {
    return { status: 'error', errorType, payload: Buffer.from(JSON.stringify({ errorType, errorMessage: message })) };
  }

  /** Records the outcome and returns it to the caller at once. END and REPORT follow when the output has arrived. */
  private finish(invocation: ActiveInvocation, outcome: Outcome): void {
    if (invocation.done) return;
    invocation.done = true;
    this.sampleMemory(false);
    clearTimeout(invocation.timer);
    if (this.current === invocation) this.current = undefined;
    const durationMs = invocation.deliveredAt === undefined ? 0 : performance.now() - invocation.deliveredAt;

    let resolveReport!: (report: InvocationReport) => void;
    const report = new Promise<InvocationReport>((resolve) => (resolveReport = resolve));
    const pending: PendingReport = {
      invocation,
      outcome,
      durationMs,
      createdAt: performance.now(),
      written: false,
      resolve: resolveReport,
    };
    this.pendingReport = pending;
    this.scheduleReport(pending);

    const { request } = invocation;
    invocation.resolve({
      requestId: request.requestId,
      executedVersion: this.blueprint.version,
      status: outcome.status,
      payload: outcome.payload,
      ...(outcome.status === 'success' ? {} : { functionError: 'Unhandled' as const }),
      ...(outcome.errorType ? { errorType: outcome.errorType } : {}),
      durationMs,
      ...(invocation.initDurationMs === undefined ? {} : { initDurationMs: invocation.initDurationMs }),
      memorySizeMb: this.blueprint.memoryMb,
      report,
    });
  }

  private scheduleReport(pending: PendingReport): void {
    const check = (): void => {
      if (pending.written || this.pendingReport !== pending) return;
      const now = performance.now();
      const waited = now - pending.createdAt;
      const expected = pending.outcome.outputBytes;
      if (expected !== undefined) {
        const stalledFor = now - Math.max(this.lastOutputAt, pending.createdAt);
        if (this.outputBytes >= expected || stalledFor >= OUTPUT_STALLED_MS || waited >= OUTPUT_WAIT_CAP_MS) this.writePendingReport();
        else setTimeout(check, 5);
        return;
      }
      const quietFor = now - Math.max(this.lastOutputAt, pending.createdAt);
      if (quietFor >= OUTPUT_QUIET_MS || waited >= OUTPUT_QUIET_MAX_MS) this.writePendingReport();
      else setTimeout(check, Math.max(1, OUTPUT_QUIET_MS - quietFor));
    };
    if (pending.outcome.outputBytes !== undefined) check();
    else setTimeout(check, OUTPUT_QUIET_MS);
  }

  /** Writes END and REPORT of the last finished invocation, if not written yet. */
  private writePendingReport(): void {
    const pending = this.pendingReport;
    if (!pending || pending.written) return;
    // A last line without a newline still belongs to this invocation.
    this.flushPartialLines();
    pending.written = true;
    this.pendingReport = undefined;
    const { invocation, outcome, durationMs } = pending;
    const requestId = invocation.request.requestId;

    const maxMemoryUsedMb = outcome.memoryPeakMb ?? this.readMemoryPeakMb() ?? this.lastMemoryPeakMb;
    this.writeLine(invocation, endLine(requestId), 'platform');
    this.writeLine(
      invocation,
      reportLine({
        requestId,
        durationMs,
        memorySizeMb: this.blueprint.memoryMb,
        maxMemoryUsedMb,
        ...(invocation.initDurationMs === undefined ? {} : { initDurationMs: invocation.initDurationMs }),
        ...(outcome.status === 'success' ? {} : { status: outcome.status }),
        ...(outcome.errorType ? { errorType: outcome.errorType } : {}),
      }),
      'platform',
    );
    const report = this.buildReport(
      requestId,
      outcome.status,
      outcome.errorType,
      durationMs,
      invocation.initDurationMs,
      invocation.lines,
      maxMemoryUsedMb,
    );
    this.services.onReport?.(report);
    pending.resolve(report);
  }

  private buildReport(
    requestId: string,
    status: InvocationStatus,
    errorType: string | undefined,
    durationMs: number,
    initDurationMs: number | undefined,
    lines: string[],
    maxMemoryUsedMb = this.lastMemoryPeakMb,
  ): InvocationReport {
    return {
      requestId,
      functionName: this.blueprint.functionName,
      status,
      ...(errorType ? { errorType } : {}),
      durationMs,
      billedDurationMs: billedDurationMs(durationMs),
      ...(initDurationMs === undefined ? {} : { initDurationMs }),
      memorySizeMb: this.blueprint.memoryMb,
      maxMemoryUsedMb,
      logGroupName: this.blueprint.logGroupName,
      logStreamName: this.logStreamName,
      log: lines.map((line) => `${line}\n`).join(''),
      finishedAt: Date.now(),
    };
  }

  private readMemoryPeakMb(): number | undefined {
    const bytes = this.container?.memoryPeakBytesNow();
    if (bytes === undefined || !Number.isFinite(bytes)) return undefined;
    this.lastMemoryPeakMb = Math.ceil(bytes / (1024 * 1024));
    return this.lastMemoryPeakMb;
  }

  // ---- output ----

  private onOutput(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this.lastOutputAt = performance.now();
    this.outputBytes += chunk.length;
    for (const line of this.splitters[stream].push(chunk)) this.routeFunctionLine(line);
    const expected = this.pendingReport?.outcome.outputBytes;
    if (expected !== undefined && this.outputBytes >= expected) this.writePendingReport();
  }

  private flushPartialLines(): void {
    for (const splitter of Object.values(this.splitters)) {
      for (const line of splitter.flush()) this.routeFunctionLine(line);
    }
  }

  /** Output belongs to the invocation in progress, or to the last one until its REPORT is written. */
  private routeFunctionLine(line: string): void {
    const target = this.current ?? (this.pendingReport && !this.pendingReport.written ? this.pendingReport.invocation : undefined);
    if (target) this.writeLine(target, line, 'function');
    else {
      if (this.collectingInit && this.initLines.length < MAX_INIT_LINES) this.initLines.push(line);
      this.appendLog(line, 'function');
    }
  }

  private writeLine(invocation: ActiveInvocation, line: string, kind: 'function' | 'platform'): void {
    invocation.lines.push(line);
    this.appendLog(line, kind, invocation.request.requestId);
  }

  private appendLog(message: string, kind: 'function' | 'platform', requestId?: string): void {
    try {
      this.services.logs.append(this.blueprint.logGroupName, this.logStreamName, {
        timestampMs: Date.now(),
        message,
        kind,
        ...(requestId ? { requestId } : {}),
      });
    } catch (error) {
      this.services.logger.error({ err: error }, `Could not store a log line: ${errorMessage(error)}`);
    }
  }
}

function withBytes(outputBytes: number | undefined): { outputBytes?: number } {
  return outputBytes === undefined ? {} : { outputBytes };
}

function errorTypeFromBody(payload: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { errorType?: unknown };
    return typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}
