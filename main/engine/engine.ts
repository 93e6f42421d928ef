import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock, TimeScale, type Clock } from '../core/clock.js';
import { isWorkbenchError, WorkbenchError } from '../core/errors.js';
import { functionArn } from '../core/lambda-format.js';
import { ConcurrencyTracker } from '../core/scheduler/concurrency.js';
import { pickVersion } from '../core/scheduler/routing.js';
import { DEFAULT_EVENT_INVOKE_SETTINGS } from '../core/scheduler/retry-policy.js';
import type { RuntimeFamily } from '../core/runtimes.js';
import type { WorkbenchSettings } from '../core/settings.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import { findFunction, type Workspace } from '../core/template/workspace.js';
import type { BuildProgress, ContainerEngine, NetworkPlan } from '../docker/engine.js';
import type { RuntimeImages } from '../docker/runtime-images.js';
import { LoopTmpStorage, VolumeTmpStorage, type TmpStorage } from '../docker/tmp-storage.js';
import type { Logger } from '../logging.js';
import { AsyncQueueStore, type AsyncEvent } from '../store/async-queue-store.js';
import { ControlPlaneStore } from '../store/control-plane-store.js';
import type { WorkbenchDatabase } from '../store/database.js';
import type { LogStore } from '../store/log-store.js';
import { MessagingStore } from '../store/messaging-store.js';
import { MetricsStore } from '../store/metrics-store.js';
import { AsyncDispatcher, type AsyncTarget } from './async-dispatcher.js';
import { buildBlueprint, PROCESS_INSTANCE, type AccountSettings } from './blueprint.js';
import { CodeStore } from './code-store.js';
import { Destinations } from './destinations.js';
import { verifyZip, type SigningKeys, type Verification } from './code-signing.js';
import { FunctionImages } from './function-images.js';
import { FunctionPool } from './function-pool.js';
import { folderSize, type LayerStore, type LayerVersionRecord } from './layer-store.js';
import { parseLayerArn } from '../core/template/layer-config.js';
import { LIMITS } from '../core/limits.js';
import type { InvocationReport, InvocationRequest, InvocationResult } from './invocation-types.js';
import { ThrottleError } from './throttle.js';
import { VersionPublisher } from './versions.js';
import { FunctionAdmin } from './function-admin.js';
import { Wiring } from './wiring.js';
import type { WorkspaceService } from './workspace-service.js';

export interface EngineOptions {
  workspace: WorkspaceService;
  containers: ContainerEngine;
  images: RuntimeImages;
  logs: LogStore;
  database: WorkbenchDatabase;
  layers: LayerStore;
  signingKeys: SigningKeys;
  logger: Logger;
  account: AccountSettings;
  settings: WorkbenchSettings;
  /** Folder for the workspace's own files (published code snapshots). */
  dataDir: string;
  codeCacheDir: string;
  /** Identifies the workspace in container labels. */
  workspaceKey: string;
  clock?: Clock;
}

export interface EngineEvents {
  report: [InvocationReport];
  throttle: [{ functionName: string; reason: string }];
  /** Long work for a function: image builds and container starts, for progress displays. */
  progress: [{ functionName: string; message: string }];
  /** A function's code was replaced through the control plane (a new folder or archive on disk). */
  codeReplaced: [{ functionName: string }];
  /** A write through the Lambda API's control plane succeeded (an alias, a version, a mapping...). */
  controlPlaneChanged: [{ operation: string }];
  /** The outcome of an asynchronous invocation reached a destination or dead-letter queue. */
  destination: [{ functionName: string; arn: string; condition: 'OnSuccess' | 'OnFailure' | 'DeadLetter' }];
}

/** The target of a call: the function, the version that runs, and the qualifier the caller used. */
/**
 * A function's lifecycle as Lambda reports it: State (Pending while it is being created, Failed
 * when that failed) and LastUpdateStatus (InProgress while new code or configuration is applied).
 */
export interface FunctionLifecycle {
  state: 'Pending' | 'Active' | 'Failed';
  stateReason?: string;
  stateReasonCode?: string;
  lastUpdateStatus: 'Successful' | 'InProgress' | 'Failed';
  lastUpdateStatusReason?: string;
  lastUpdateStatusReasonCode?: string;
}

export interface InvocationTarget {
  config: FunctionConfig;
  version: string;
  qualifier?: string;
}

/**
 * The local Lambda service for one workspace. It keeps a pool of execution environments per
 * function version, enforces concurrency, resolves versions and aliases, and runs asynchronous
 * invocations from a durable queue.
 */
export class LambdaEngine extends EventEmitter<EngineEvents> {
  readonly controlPlane: ControlPlaneStore;
  readonly asyncQueue: AsyncQueueStore;
  readonly messaging: MessagingStore;
  readonly metrics: MetricsStore;
  readonly tracker: ConcurrencyTracker;
  readonly timeScale: TimeScale;
  private readonly pools = new Map<string, Promise<FunctionPool>>();
  /** The package stamp each pool was created from (see packageStamp). */
  private readonly poolStamps = new Map<string, string>();
  /** The last code signing check of each function, for the console's Code signing page. */
  readonly codeSigningChecks = new Map<string, { checkedAt: number; policy: 'Warn' | 'Enforce'; verification: Verification }>();
  /** Versions that hold provisioned environments, per function and qualifier. */
  private readonly provisionedVersions = new Map<string, Set<string>>();
  private readonly codeStore: CodeStore;
  readonly functionImages: FunctionImages;
  private readonly publisher: VersionPublisher;
  private readonly dispatcher: AsyncDispatcher;
  private readonly clock: Clock;
  private network: NetworkPlan | undefined;
  private tmpStorage: TmpStorage = new VolumeTmpStorage();
  private reaper: NodeJS.Timeout | undefined;
  private shuttingDown = false;
  private readonly lifecycles = new Map<string, FunctionLifecycle>();
  private readonly modifiedAt = new Map<string, number>();
  private adminValue: FunctionAdmin | undefined;
  private wiringValue: Wiring | undefined;
  private settingsValue: WorkbenchSettings;

  constructor(private readonly options: EngineOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.settingsValue = options.settings;
    this.timeScale = new TimeScale(options.settings.timeScale);
    this.codeStore = new CodeStore(options.codeCacheDir);
    this.functionImages = new FunctionImages(options.containers, options.workspaceKey, options.logger);
    this.controlPlane = new ControlPlaneStore(options.database);
    this.asyncQueue = new AsyncQueueStore(options.database);
    this.messaging = new MessagingStore(options.database);
    this.metrics = new MetricsStore(options.database);
    this.tracker = new ConcurrencyTracker({
      limit: options.settings.accountConcurrency,
      unreservedMinimum: options.settings.unreservedMinimum,
    });
    this.publisher = new VersionPublisher(this.controlPlane, this.codeStore, path.join(options.dataDir, 'versions'));
    const destinations = new Destinations({
      messaging: this.messaging,
      asyncQueue: this.asyncQueue,
      region: options.account.region,
      accountId: options.account.accountId,
      onAsyncAccepted: () => setImmediate(() => this.dispatcher.wake()),
    });
    this.dispatcher = new AsyncDispatcher({
      queue: this.asyncQueue,
      destinations,
      clock: this.clock,
      timeScale: this.timeScale,
      logger: options.logger,
      target: (event) => this.asyncTarget(event),
      delivered: (functionName, arn, condition) => this.emit('destination', { functionName, arn, condition }),
      invoke: (event) => this.invoke(event.functionName, { requestId: event.requestId, payload: event.payload }, event.qualifier),
      // A function at its reservation waits for a free slot. One reserved at 0 never gets one, so its
      // events go through the throttle backoff until they age out, as on Lambda.
      saturated: () =>
        this.functions().flatMap((fn) => {
          const reserved = this.tracker.reservedFor(fn.name);
          return reserved !== undefined && reserved > 0 && this.tracker.running(fn.name) >= reserved ? [fn.name] : [];
        }),
    });
    this.on('report', (report) =>
      this.metrics.recordInvocation(report.functionName, report.finishedAt, report.durationMs, report.status !== 'success'),
    );
  }

  get account(): AccountSettings {
    return this.options.account;
  }

  get workspace(): Workspace {
    return this.options.workspace.current;
  }

  get workspaceService(): WorkspaceService {
    return this.options.workspace;
  }

  get settings(): WorkbenchSettings {
    return this.settingsValue;
  }

  /** Checks that Docker responds, removes what dead workbench processes left, and starts the scheduler. */
  async start(): Promise<void> {
    const { containers, logger } = this.options;
    await containers.ping();
    this.network = await containers.networkPlan();
    const leftovers = await containers.listContainers('dev.lambda-workbench=true');
    const stale = leftovers.filter(({ labels }) => isOrphan(labels));
    await Promise.all(stale.map(({ id }) => containers.removeContainer(id)));
    if (stale.length > 0) logger.info(`Removed ${stale.length} container(s) left by an earlier run`);
    await this.chooseTmpStorage();

    await this.applyWorkspace(this.workspace, undefined);
    this.options.workspace.on('changed', (next, previous) => {
      void this.applyWorkspace(next, previous).catch((error) => logger.error({ err: error }, 'Could not apply the changed template'));
    });
    this.dispatcher.start();
    this.startReaper();
    // Provisioned concurrency set through the API outlives a restart, as it does on Lambda.
    for (const entry of this.controlPlane.provisioned()) {
      void this.provision(entry.functionName, entry.qualifier, entry.requested).catch((error) =>
        logger.error({ err: error, function: entry.functionName }, `Could not provision ${entry.functionName}:${entry.qualifier} again`),
      );
    }
  }

  /** Sized /tmp file systems where this machine allows loop mounts, else plain volumes. */
  private async chooseTmpStorage(): Promise<void> {
    const { logger } = this.options;
    if (this.network?.mode === 'host' && LoopTmpStorage.available()) {
      const storage = new LoopTmpStorage(path.join(this.options.dataDir, 'tmp-volumes'), `${process.pid}_${PROCESS_INSTANCE}`, logger);
      const removed = await storage.removeOrphans((owner) => ownerAlive(owner));
      if (removed > 0) logger.info(`Removed ${removed} /tmp file system(s) left by an earlier run`);
      this.tmpStorage = storage;
      return;
    }
    logger.warn(
      '/tmp is not limited to EphemeralStorage here: that needs root on a Linux host running the Docker engine. Functions get an unlimited /tmp.',
    );
  }

  /** Builds missing or outdated runtime images, and the images of Image functions (all, or those named in `only`). */
  async ensureImages(progress: BuildProgress, only?: readonly string[]): Promise<void> {
    const functions = only ? this.functions().filter((fn) => only.includes(fn.name)) : this.functions();
    const families = [...new Set(functions.flatMap((fn) => (fn.runtime ? [fn.runtime.family] : [])))] as RuntimeFamily[];
    const outdated = await this.options.images.outdated(families);
    if (outdated.length > 0) await this.options.images.build(outdated, progress);
    for (const fn of functions) {
      if (fn.code.kind === 'image' && fn.code.build) await this.functionImages.ensure(fn, progress);
    }
  }

  functions(): FunctionConfig[] {
    return this.workspace.functions;
  }

  findFunction(name: string): FunctionConfig | undefined {
    return findFunction(this.workspace, name);
  }

  /**
   * Resolves a name and qualifier to what runs: $LATEST, a published version, or an alias, whose
   * routing picks a version for each call. Throws FunctionNotFound for anything unknown.
   */
  resolveTarget(name: string, qualifier?: string): InvocationTarget {
    const latest = this.findFunction(name);
    const notFound = (): WorkbenchError =>
      new WorkbenchError(
        'FunctionNotFound',
        'caller',
        `Function not found: ${functionArn(this.account.region, this.account.accountId, name, qualifier)}`,
      );
    if (!latest) throw notFound();
    if (qualifier === undefined || qualifier === '$LATEST')
      return { config: latest, version: '$LATEST', ...(qualifier ? { qualifier } : {}) };
    if (/^\d+$/.test(qualifier)) {
      const record = this.controlPlane.version(latest.name, Number(qualifier));
      if (!record) throw notFound();
      return { config: VersionPublisher.configOf(record), version: qualifier, qualifier };
    }
    const alias = this.controlPlane.alias(latest.name, qualifier);
    if (!alias) throw notFound();
    const version = pickVersion({
      functionVersion: alias.functionVersion,
      ...(alias.additionalVersionWeights ? { additionalVersionWeights: alias.additionalVersionWeights } : {}),
    });
    const target = this.resolveTarget(latest.name, version);
    return { ...target, qualifier };
  }

  /** Runs one invocation now, or throws ThrottleError when the function has no concurrency left. */
  async invoke(functionName: string, request: InvocationRequest, qualifier?: string): Promise<InvocationResult> {
    if (this.shuttingDown) throw new WorkbenchError('ShuttingDown', 'platform', 'The workbench is shutting down.');
    const target = this.resolveTarget(functionName, qualifier ?? request.qualifier);
    const name = target.config.name;
    const { state } = this.lifecycle(name);
    // A Failed function is tried again: the cause (a bad .zip, a missing image) may be fixed by now.
    if (state === 'Pending') {
      throw new WorkbenchError(
        'ResourceConflict',
        'caller',
        `The operation cannot be performed at this time. The function is currently in the following state: ${state}`,
      );
    }
    const slot = this.tracker.acquire(name);
    if (!slot.ok) {
      this.metrics.recordThrottle(name, Date.now());
      this.emit('throttle', { functionName: name, reason: slot.reason });
      throw new ThrottleError(slot.reason, name);
    }
    this.metrics.recordConcurrency(name, Date.now(), this.tracker.running(name));
    try {
      const pool = await this.poolFor(target);
      this.options.logger.debug({ function: name, version: target.version, requestId: request.requestId }, 'Invoke');
      return await pool.invoke({ ...request, ...(target.qualifier ? { qualifier: target.qualifier } : {}) });
    } finally {
      slot.release();
    }
  }

  /** Accepts an asynchronous invocation: it is stored durably before this returns. */
  acceptAsync(functionName: string, payload: Buffer, qualifier?: string, requestId: string = randomUUID()): string {
    const target = this.resolveTarget(functionName, qualifier);
    this.asyncQueue.accept({
      requestId,
      functionName: target.config.name,
      ...(qualifier ? { qualifier } : {}),
      payload,
      acceptedMs: this.clock.now(),
    });
    this.dispatcher.wake();
    return requestId;
  }

  /** Resolves once no asynchronous invocation is running or due. */
  asyncIdle(): Promise<void> {
    return this.dispatcher.whenIdle();
  }

  /** Makes the next invocation of $LATEST start from the code and configuration on disk. */
  async redeploy(functionName: string): Promise<void> {
    await this.drain(`${functionName}:$LATEST`);
  }

  /** The function's State and LastUpdateStatus; Active and Successful unless an operation changed them. */
  lifecycle(functionName: string): FunctionLifecycle {
    return this.lifecycles.get(functionName) ?? { state: 'Active', lastUpdateStatus: 'Successful' };
  }

  setLifecycle(functionName: string, lifecycle: FunctionLifecycle | undefined): void {
    if (lifecycle) this.lifecycles.set(functionName, lifecycle);
    else this.lifecycles.delete(functionName);
  }

  /** Wires event sources and destinations in the template. */
  get wiring(): Wiring {
    this.wiringValue ??= new Wiring(this);
    return this.wiringValue;
  }

  /** Creates, updates and deletes functions, layers and code signing settings in the template. */
  get admin(): FunctionAdmin {
    this.adminValue ??= new FunctionAdmin(this, this.options.logger);
    return this.adminValue;
  }

  /** Options the engine was made with that the admin operations need. */
  get stores(): { layers: LayerStore; dataDir: string } {
    return { layers: this.options.layers, dataDir: this.options.dataDir };
  }

  // ---- versions and aliases ----

  async publishVersion(functionName: string, options: { description?: string; codeSha256?: string } = {}) {
    const fn = this.resolveTarget(functionName).config;
    const { record, created } = await this.publisher.publish(fn, options);
    if (created) this.options.logger.info(`Published ${fn.name} version ${record.version}`);
    return record;
  }

  /** Deletes a published version: refused while an alias routes to it, as on Lambda. */
  async deleteVersion(functionName: string, version: number): Promise<void> {
    const fn = this.resolveTarget(functionName).config;
    const routing = this.controlPlane
      .aliases(fn.name)
      .filter((alias) => alias.functionVersion === String(version) || Object.hasOwn(alias.additionalVersionWeights ?? {}, String(version)));
    if (routing.length > 0) {
      throw new WorkbenchError(
        'ResourceConflict',
        'caller',
        `Unable to delete version ${version} of ${fn.name} because alias ${routing.map((alias) => alias.name).join(', ')} routes to it.`,
      );
    }
    const record = this.controlPlane.version(fn.name, version);
    if (!record)
      throw new WorkbenchError(
        'FunctionNotFound',
        'caller',
        `Function not found: ${functionArn(this.account.region, this.account.accountId, fn.name, String(version))}`,
      );
    this.controlPlane.deleteVersion(fn.name, version);
    await this.drain(`${fn.name}:${version}`);
  }

  versionConfig(functionName: string, version: number): FunctionConfig | undefined {
    const record = this.controlPlane.version(functionName, version);
    return record ? VersionPublisher.configOf(record) : undefined;
  }

  /** Builds an Image function's image now (when its sources changed), reporting progress, and redeploys it. */
  async buildImage(functionName: string): Promise<{ reference: string; digest: string }> {
    const fn = this.resolveTarget(functionName).config;
    if (fn.code.kind !== 'image')
      throw new WorkbenchError(
        'UnsupportedPackage',
        'caller',
        `${fn.name} is a .zip function; only Image functions have an image to build.`,
      );
    const { reference, info } = await this.functionImages.ensure(fn, (line) => {
      this.options.logger.info(line);
      this.emit('progress', { functionName: fn.name, message: line });
    });
    await this.redeploy(fn.name);
    return { reference, digest: info.id.replace(/^sha256:/, '') };
  }

  /** The local image of an Image function and its id (hex, without "sha256:"), when it is present. */
  async imageOf(fn: FunctionConfig): Promise<{ reference: string; digest: string | undefined }> {
    const reference = fn.code.kind === 'image' && !fn.code.build ? fn.code.imageUri! : this.functionImages.tagOf(fn);
    const info = await this.options.containers.inspectImage(reference).catch(() => undefined);
    return { reference, digest: info?.id.replace(/^sha256:/, '') };
  }

  /**
   * Unzipped size of a function's code together with its layers, the figure Lambda limits to
   * 250 MB; undefined for an image function. A .zip is unpacked (once, into the cache) to measure it.
   */
  async unzippedSize(fn: FunctionConfig): Promise<number | undefined> {
    if (fn.code.kind === 'image') return undefined;
    let total = folderSize(await this.codeStore.folderFor(fn.code, fn.runtime));
    for (const arn of fn.layers) {
      const parsed = parseLayerArn(arn);
      const record = parsed ? this.options.layers.get(parsed.name, parsed.version) : undefined;
      if (record) total += folderSize(await this.options.layers.contentOf(record));
    }
    return total;
  }

  /** The workspace's stored layer versions, for the layer operations of the Lambda API. */
  get layerStore(): LayerStore {
    return this.options.layers;
  }

  /** CodeSize of a layer version (its .zip package) in bytes, when it is a layer of this workspace. */
  /** Finds a stored layer version by its ARN, or returns why there is none (another version, another account). */
  findLayerVersion(arn: string): { record: LayerVersionRecord } | { missing: string } {
    const parsed = parseLayerArn(arn);
    const local = parsed !== undefined && parsed.accountId === this.account.accountId;
    const record = local ? this.options.layers.get(parsed.name, parsed.version) : undefined;
    if (record) return { record };
    const known = local ? this.options.layers.versions(parsed.name) : [];
    if (known.length > 0)
      return {
        missing: `layer ${parsed!.name} has versions ${known.map((entry) => entry.version).join(', ')} in this workspace, not version ${parsed!.version}`,
      };
    return { missing: 'it is not a layer of this workspace, and the workbench cannot download layers offline' };
  }

  async layerCodeSize(arn: string): Promise<number | undefined> {
    const parsed = parseLayerArn(arn);
    const record = parsed ? this.options.layers.get(parsed.name, parsed.version) : undefined;
    return record ? this.options.layers.packageSize(record) : undefined;
  }

  // ---- concurrency ----

  /** Checks a reservation against the account minimum; returns Lambda's error message when it does not fit. */
  checkReservation(functionName: string, value: number): string | undefined {
    return this.tracker.checkReservation(functionName, value);
  }

  /**
   * Keeps `count` environments of a version or alias initialised ahead of calls. Versions that an
   * alias no longer points at give their provisioned environments up.
   */
  async provision(functionName: string, qualifier: string, count: number): Promise<void> {
    const fn = this.resolveTarget(functionName).config;
    const alias = this.controlPlane.alias(fn.name, qualifier);
    const shares = alias
      ? splitByWeight(alias.functionVersion, alias.additionalVersionWeights ?? {}, count)
      : [{ version: qualifier, count }];
    const key = `${fn.name}:${qualifier}`;
    const previous = this.provisionedVersions.get(key) ?? new Set<string>();
    const current = new Set(shares.map((share) => share.version));
    this.provisionedVersions.set(key, current);
    const released = [...previous].filter((version) => !current.has(version)).map((version) => ({ version, count: 0 }));
    await Promise.all(
      [...shares, ...released].map(async (share) => {
        const pool = await this.poolFor(this.resolveTarget(fn.name, share.version));
        await pool.provision(share.count);
      }),
    );
    if (count > 0) this.options.logger.info(`Provisioned concurrency of ${fn.name}:${qualifier} is ready: ${count} environment(s)`);
  }

  /** Provisioned environments requested per function for an alias or version, from the template and the API. */
  provisionedConfigs(
    functionName?: string,
  ): Array<{ functionName: string; qualifier: string; requested: number; lastModifiedMs: number; fromTemplate: boolean }> {
    const fromApi = this.controlPlane.provisioned(functionName).map((entry) => ({ ...entry, fromTemplate: false }));
    const fromTemplate = this.functions()
      .filter(
        (fn) => (functionName === undefined || fn.name === functionName) && fn.autoPublishAlias && fn.provisionedConcurrency !== undefined,
      )
      .filter((fn) => !fromApi.some((entry) => entry.functionName === fn.name && entry.qualifier === fn.autoPublishAlias))
      .map((fn) => ({
        functionName: fn.name,
        qualifier: fn.autoPublishAlias!,
        requested: fn.provisionedConcurrency!,
        lastModifiedMs: this.templateModifiedMs(),
        fromTemplate: true,
      }));
    return [...fromApi, ...fromTemplate];
  }

  /**
   * Checks provisioned concurrency against the account: for a function without reserved
   * concurrency it comes out of the unreserved pool, which may not fall below the minimum.
   * Returns Lambda's error message, or undefined when it fits.
   */
  checkProvisioned(functionName: string, qualifier: string, requested: number): string | undefined {
    const reserved = this.tracker.reservedFor(functionName);
    const others = this.provisionedConfigs()
      .filter((entry) => !(entry.functionName === functionName && entry.qualifier === qualifier))
      .filter((entry) =>
        reserved === undefined ? this.tracker.reservedFor(entry.functionName) === undefined : entry.functionName === functionName,
      )
      .reduce((sum, entry) => sum + entry.requested, 0);
    if (reserved !== undefined) {
      return others + requested > reserved
        ? `Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function (${reserved}).`
        : undefined;
    }
    const unreservedLeft = this.tracker.unreservedLimit() - others - requested;
    if (unreservedLeft < this.tracker.settings.unreservedMinimum) {
      return `Specified ProvisionedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.tracker.settings.unreservedMinimum}].`;
    }
    return undefined;
  }

  /** Unreserved concurrency left for on-demand calls, after reservations and provisioned concurrency. */
  unreservedAvailable(): number {
    const provisioned = this.provisionedConfigs()
      .filter((entry) => this.tracker.reservedFor(entry.functionName) === undefined)
      .reduce((sum, entry) => sum + entry.requested, 0);
    return this.tracker.unreservedLimit() - provisioned;
  }

  templateModifiedMs(): number {
    return statSync(this.workspace.templatePath).mtimeMs;
  }

  /**
   * When the function's configuration last changed, as LastModified reports it: the time of the
   * edit that changed it while the workbench runs, else the template file's time.
   */
  functionModifiedMs(functionName: string): number {
    return this.modifiedAt.get(functionName) ?? this.templateModifiedMs();
  }

  /** Status of the provisioned environments behind a version or alias. */
  async provisionedStatus(functionName: string, qualifier: string) {
    const fn = this.resolveTarget(functionName).config;
    const alias = this.controlPlane.alias(fn.name, qualifier);
    const versions = alias ? [alias.functionVersion, ...Object.keys(alias.additionalVersionWeights ?? {})] : [qualifier];
    const statuses = await Promise.all(
      versions.map(async (version) => (await this.poolFor(this.resolveTarget(fn.name, version))).provisionedStatus()),
    );
    return {
      allocated: statuses.reduce((sum, status) => sum + status.allocated, 0),
      available: statuses.reduce((sum, status) => sum + status.available, 0),
      status: statuses.some((status) => status.status === 'FAILED')
        ? ('FAILED' as const)
        : statuses.every((status) => status.status === 'READY')
          ? ('READY' as const)
          : ('IN_PROGRESS' as const),
      reason: statuses.find((status) => status.reason)?.reason,
    };
  }

  // ---- lifecycle ----

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    this.dispatcher.stop();
    if (this.reaper) clearInterval(this.reaper);
    const pools = await Promise.allSettled([...this.pools.values()]);
    this.pools.clear();
    await Promise.all(pools.map((settled) => (settled.status === 'fulfilled' ? settled.value.dispose() : undefined)));
    this.metrics.close();
  }

  // ---- internals ----

  /** Brings the scheduler in line with the template: reservations, queues, versions, drained pools. */
  private async applyWorkspace(next: Workspace, previous: Workspace | undefined): Promise<void> {
    const { logger } = this.options;
    for (const queue of next.messaging.queues) this.messaging.ensureQueue(queue);
    for (const topic of next.messaging.topics) this.messaging.ensureTopic(topic);
    for (const bus of next.messaging.buses) this.messaging.ensureBus(bus);
    this.messaging.ensureBus('default');

    for (const fn of previous?.functions ?? []) {
      const now = findFunction(next, fn.name);
      if (!now) {
        this.tracker.setReserved(fn.name, undefined);
        this.modifiedAt.delete(fn.name);
        await this.drainFunction(fn.name);
      } else if (environmentDigest(now) !== environmentDigest(fn)) {
        this.modifiedAt.set(fn.name, Date.now());
        await this.drain(`${fn.name}:$LATEST`);
      }
    }
    if (previous) {
      for (const fn of next.functions) if (!findFunction(previous, fn.name)) this.modifiedAt.set(fn.name, Date.now());
    }

    for (const fn of next.functions) {
      if (fn.reservedConcurrency === undefined) {
        this.tracker.setReserved(fn.name, undefined);
      } else {
        const problem = this.tracker.checkReservation(fn.name, fn.reservedConcurrency);
        if (problem) logger.warn(`${fn.name}: ReservedConcurrentExecutions ${fn.reservedConcurrency} is not applied. ${problem}`);
        else this.tracker.setReserved(fn.name, fn.reservedConcurrency);
      }
      if (fn.autoPublishAlias) await this.autoPublish(fn);
    }
  }

  /** SAM's AutoPublishAlias: publish when the function changed, point the alias at the version, provision it. */
  private async autoPublish(fn: FunctionConfig): Promise<void> {
    const aliasName = fn.autoPublishAlias!;
    try {
      const record = await this.publishVersion(fn.name);
      const existing = this.controlPlane.alias(fn.name, aliasName);
      if (existing?.functionVersion !== String(record.version)) {
        this.controlPlane.putAlias({
          functionName: fn.name,
          name: aliasName,
          functionVersion: String(record.version),
          description: existing?.description ?? '',
        });
      }
      const requested =
        fn.provisionedConcurrency ?? this.controlPlane.provisioned(fn.name).find((entry) => entry.qualifier === aliasName)?.requested;
      if (requested)
        void this.provision(fn.name, aliasName, requested).catch((error) =>
          this.options.logger.error({ err: error, function: fn.name }, 'Provisioning failed'),
        );
    } catch (error) {
      this.options.logger.error({ err: error, function: fn.name }, `Could not publish ${fn.name} for its AutoPublishAlias ${aliasName}`);
    }
  }

  /** Event invoke settings: per qualifier from the API, else the template's for $LATEST and the AutoPublishAlias. */
  private asyncTarget(event: AsyncEvent): AsyncTarget | undefined {
    const fn = this.findFunction(event.functionName);
    if (!fn) return undefined;
    const qualifier = event.qualifier ?? '$LATEST';
    const stored = this.controlPlane.eventInvokeConfig(fn.name, qualifier)?.config;
    const fromTemplate = qualifier === '$LATEST' || qualifier === fn.autoPublishAlias ? fn.eventInvoke : undefined;
    const settings = {
      maximumRetryAttempts:
        stored?.MaximumRetryAttempts ?? fromTemplate?.maximumRetryAttempts ?? DEFAULT_EVENT_INVOKE_SETTINGS.maximumRetryAttempts,
      maximumEventAgeSeconds:
        stored?.MaximumEventAgeInSeconds ?? fromTemplate?.maximumEventAgeSeconds ?? DEFAULT_EVENT_INVOKE_SETTINGS.maximumEventAgeSeconds,
    };
    const onSuccess = stored ? stored.DestinationConfig?.OnSuccess?.Destination : fromTemplate?.onSuccess;
    const onFailure = stored ? stored.DestinationConfig?.OnFailure?.Destination : fromTemplate?.onFailure;
    return {
      settings,
      ...(onSuccess ? { onSuccess } : {}),
      ...(onFailure ? { onFailure } : {}),
      ...(fn.deadLetterArn ? { deadLetterArn: fn.deadLetterArn } : {}),
      functionArn: functionArn(this.account.region, this.account.accountId, fn.name, qualifier),
    };
  }

  private poolFor(target: InvocationTarget): Promise<FunctionPool> {
    const key = `${target.config.name}:${target.version}`;
    let pool = this.pools.get(key);
    // A .zip replaced in place (import-zip, a rebuild) is a new deployment, as update-function-code
    // is on Lambda: new environments start from it while calls in flight finish on the old code.
    const stamp = packageStamp(target.config);
    if (pool && this.poolStamps.get(key) !== stamp) {
      this.options.logger.info(`${target.config.name}: its .zip package changed; new environments run the new code`);
      this.pools.delete(key);
      void pool.then((stale) => stale.drain()).catch(() => undefined);
      pool = undefined;
    }
    this.poolStamps.set(key, stamp);
    if (!pool) {
      pool = this.createPool(target);
      this.pools.set(key, pool);
      // A failed setup (image missing, bad zip) is retried on the next call rather than cached,
      // and until then the function reports State Failed with the reason, as Lambda's does.
      const name = target.config.name;
      const latest = target.version === '$LATEST';
      pool.then(
        () => {
          if (latest && this.lifecycle(name).state === 'Failed') this.setLifecycle(name, undefined);
        },
        (error: unknown) => {
          this.pools.delete(key);
          if (latest && isWorkbenchError(error) && error.source === 'caller') {
            this.setLifecycle(name, {
              state: 'Failed',
              stateReason: error.message,
              stateReasonCode: error.code,
              lastUpdateStatus: 'Failed',
              lastUpdateStatusReason: error.message,
            });
          }
        },
      );
    }
    return pool;
  }

  private async createPool(target: InvocationTarget): Promise<FunctionPool> {
    const { options } = this;
    const fn = target.config;
    for (const fileSystem of fn.fileSystems) {
      mkdirSync(fileSystem.hostPath, { recursive: true });
      // Functions run as Lambda's non-root sandbox user, which must be able to write here.
      // NOTE: the access point's PosixUser and CreationInfo are not applied: files belong to the
      // sandbox user and the folder is 0777, where EFS would enforce the access point's identity.
      chmodSync(fileSystem.hostPath, 0o777);
    }
    if (fn.architecture === 'arm64' && os.arch() !== 'arm64') {
      options.logger.warn(`${fn.name} is configured for arm64; it runs on this machine's ${os.arch()} instead.`);
    }
    let blueprint;
    if (fn.code.kind === 'image') {
      const { reference, info } = await this.functionImages.ensure(fn, (line) => {
        options.logger.info(line);
        this.emit('progress', { functionName: fn.name, message: line });
      });
      if (info.entrypoint.length === 0 && info.cmd.length === 0 && !fn.imageConfig?.entryPoint && !fn.imageConfig?.command) {
        throw new WorkbenchError(
          'InvalidImage',
          'caller',
          `Image ${reference} of ${fn.name} has no ENTRYPOINT and no CMD, so nothing can start. Set ENTRYPOINT in its Dockerfile (the runtime interface client) or ImageConfig.EntryPoint in the template.`,
        );
      }
      blueprint = buildBlueprint(
        fn,
        { reference, kind: 'function' },
        { kind: 'image', cmd: info.cmd },
        options.account,
        options.workspaceKey,
        target.version,
      );
    } else {
      if (!fn.runtime) throw new WorkbenchError('UnsupportedPackage', 'caller', `${fn.name} has no runtime.`);
      this.checkCodeSigning(fn);
      const image = await options.images.resolve(fn.runtime);
      const codeDir = await this.codeStore.folderFor(fn.code, fn.runtime);
      const optDir = await this.layersOf(fn, codeDir);
      blueprint = buildBlueprint(fn, image, codeDir, options.account, options.workspaceKey, target.version, optDir);
    }
    const network = this.network ?? (await options.containers.networkPlan());
    return new FunctionPool(
      blueprint,
      {
        engine: options.containers,
        tmpStorage: this.tmpStorage,
        network,
        logs: options.logs,
        logger: options.logger,
        onReport: (report) => this.emit('report', report),
      },
      options.logger,
      {
        beforeNewEnvironment: () => {
          this.emit('progress', { functionName: fn.name, message: `Starting a container for ${fn.name}` });
          return this.makeRoom(fn.name);
        },
      },
    );
  }

  /**
   * Checks the function's code against its code signing configuration on every deployment (a new
   * pool): with Enforce an untrusted package is refused, with Warn it runs and a warning is logged.
   */
  private checkCodeSigning(fn: FunctionConfig): void {
    if (!fn.codeSigningConfigArn) return;
    const verification: Verification =
      fn.code.kind === 'zip'
        ? this.verifyPackage(fn.codeSigningConfigArn, fn.code.path)
        : { trusted: false, failure: 'unsigned', message: `${fn.name}'s code is a folder; only a signed .zip can be trusted.` };
    this.enforceSigning(fn.name, fn.codeSigningConfigArn, verification);
  }

  /** Checks a .zip (and the .sig beside it) against a code signing configuration of the template. */
  verifyPackage(configArn: string, zipPath: string): Verification {
    const config = this.workspace.codeSigningConfigs.find((candidate) => candidate.arn === configArn)!;
    const profileNameOf = (versionArn: string): string | undefined =>
      this.workspace.signingProfiles.find((profile) => profile.versionArn === versionArn)?.name;
    return verifyZip(zipPath, config, profileNameOf, this.options.signingKeys);
  }

  /**
   * Applies a configuration's policy to a check, remembering it for the Code signing page: an
   * untrusted package is refused under Enforce and logged under Warn.
   */
  enforceSigning(functionName: string, configArn: string, verification: Verification): void {
    const config = this.workspace.codeSigningConfigs.find((candidate) => candidate.arn === configArn)!;
    this.codeSigningChecks.set(functionName, { checkedAt: Date.now(), policy: config.policy, verification });
    if (verification.trusted) {
      this.options.logger.info(`${functionName}: code signature verified (${verification.profileVersionArn})`);
      return;
    }
    if (config.policy === 'Warn') {
      // NOTE: Lambda blocks a package that fails the integrity check even under Warn; here Warn
      // lets every untrusted package run, with this warning.
      this.options.logger.warn(`${functionName}: untrusted code deployed under the Warn policy of ${config.arn}: ${verification.message}`);
      return;
    }
    if (verification.failure === 'integrity') {
      throw new WorkbenchError('InvalidCodeSignature', 'caller', `The code signature failed the integrity check. ${verification.message}`);
    }
    throw new WorkbenchError(
      'CodeVerificationFailed',
      'caller',
      `The code signature failed one or more validation checks for signature mismatch or expiry, and the code signing policy is set to ENFORCE. ${verification.message}`,
    );
  }

  /**
   * Resolves a function's layers to their stored versions and merges them for /opt. Checks
   * Lambda's limit on code and layers together (250 MB unzipped).
   */
  private async layersOf(fn: FunctionConfig, codeDir: string): Promise<string | undefined> {
    const records: LayerVersionRecord[] = fn.layers.map((arn) => {
      const found = this.findLayerVersion(arn);
      if ('missing' in found) throw new WorkbenchError('LayerNotFound', 'caller', `${fn.name} uses layer ${arn}, but ${found.missing}.`);
      return found.record;
    });
    const optDir = records.length > 0 ? await this.options.layers.mergedOpt(records, this.options.codeCacheDir) : undefined;
    const codeBytes = folderSize(codeDir);
    const layerBytes = optDir ? folderSize(optDir) : 0;
    if (codeBytes + layerBytes > LIMITS.unzippedCodeBytes) {
      throw new WorkbenchError(
        'CodeTooLarge',
        'caller',
        `Unzipped size must be smaller than ${LIMITS.unzippedCodeBytes} bytes: ${fn.name}'s code (${codeBytes} bytes) and layers (${layerBytes} bytes) come to ${codeBytes + layerBytes} bytes.`,
      );
    }
    return optDir;
  }

  /**
   * Keeps the environments of a function within its concurrency: before another is created, the
   * least recently used idle one of the function (in any version) is reclaimed when the function
   * is at its limit.
   */
  private makeRoom(functionName: string): void {
    const limit = this.tracker.reservedFor(functionName) ?? this.tracker.unreservedLimit();
    const pools = this.settledPools(functionName);
    const total = pools.reduce((sum, pool) => sum + pool.size, 0);
    if (total < limit) return;
    const candidates = pools.flatMap((pool) => {
      const idle = pool.leastRecentlyUsedIdle();
      return idle ? [{ pool, idle }] : [];
    });
    const oldest = candidates.sort((a, b) => a.idle.lastUsedAt - b.idle.lastUsedAt)[0];
    if (oldest) void oldest.pool.retire(oldest.idle);
  }

  private settledPools(functionName: string): FunctionPool[] {
    const result: FunctionPool[] = [];
    for (const [key, pool] of this.pools) {
      if (!key.startsWith(`${functionName}:`)) continue;
      // Pools resolve once and are replaced rather than mutated, so reading the settled value is safe.
      const settled = settledValue(pool);
      if (settled) result.push(settled);
    }
    return result;
  }

  private startReaper(): void {
    const keepWarmMs = this.timeScale.scale(this.settings.keepWarmSeconds * 1000);
    const interval = Math.min(30_000, Math.max(250, keepWarmMs / 4));
    this.reaper = setInterval(() => {
      const unusedSince = Date.now() - keepWarmMs;
      for (const pool of this.pools.values()) {
        const settled = settledValue(pool);
        const reaped = settled?.reapIdle(unusedSince) ?? 0;
        if (reaped > 0)
          this.options.logger.debug({ function: settled!.blueprint.functionName, reaped }, 'Reclaimed idle execution environments');
      }
    }, interval);
    this.reaper.unref();
  }

  private async drain(key: string): Promise<void> {
    const pool = this.pools.get(key);
    if (!pool) return;
    this.pools.delete(key);
    const settled = await pool.catch(() => undefined);
    await settled?.drain();
  }

  private async drainFunction(functionName: string): Promise<void> {
    for (const key of [...this.pools.keys()]) if (key.startsWith(`${functionName}:`)) await this.drain(key);
  }
}

const settledPools = new WeakMap<Promise<FunctionPool>, FunctionPool>();

/** Identifies the deployed .zip of a function by size and modification time; other packages by nothing. */
function packageStamp(fn: FunctionConfig): string {
  if (fn.code.kind !== 'zip') return '';
  try {
    const stat = statSync(fn.code.path);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

function settledValue(pool: Promise<FunctionPool>): FunctionPool | undefined {
  if (!settledPools.has(pool))
    pool.then(
      (value) => settledPools.set(pool, value),
      () => undefined,
    );
  return settledPools.get(pool);
}

/**
 * Digests what an execution environment is built from. A change to anything else (concurrency,
 * destinations, tags) leaves warm environments in place.
 */
function environmentDigest(fn: FunctionConfig): string {
  return JSON.stringify([
    fn.runtime?.id,
    fn.handler,
    fn.code,
    fn.memoryMb,
    fn.timeoutSeconds,
    fn.ephemeralStorageMb,
    fn.architecture,
    fn.environment,
    fn.properties.Layers ?? null,
  ]);
}

/** Splits provisioned environments across an alias's versions by their routing weights. */
function splitByWeight(primary: string, weights: Record<string, number>, count: number): Array<{ version: string; count: number }> {
  const shares = Object.entries(weights).map(([version, weight]) => ({ version, count: Math.round(count * weight) }));
  const rest = count - shares.reduce((sum, share) => sum + share.count, 0);
  return [{ version: primary, count: rest }, ...shares].filter((share) => share.count > 0);
}

/** Tells whether the workbench process named `pid_instance` is this one or still runs. */
function ownerAlive(owner: string): boolean {
  const [pidText, instance] = owner.split('_');
  const pid = Number(pidText);
  if (pid === process.pid) return instance === PROCESS_INSTANCE;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
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
