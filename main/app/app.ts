import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { InputError, isWorkbenchError, errorMessage } from '../core/errors.js';
import { TemplateError } from '../core/errors.js';
import { destinationTarget } from '../core/arn.js';
import { logGroupName } from '../core/lambda-format.js';
import type { ChannelArgs, ChannelName, ChannelResult, ContractError, Envelope, PushEventName, PushEvents } from '../contract/channels.js';
import type { z } from 'zod';
import { CHANNEL_SCHEMAS } from '../contract/schemas.js';
import type { InvokeOutcome, LogLine } from '../contract/types.js';
import type { Logger } from '../logging.js';
import type { LogEvent } from '../store/log-store.js';
import type { Workbench } from '../workbench.js';
import type { LambdaEngine } from '../engine/engine.js';
import type { Delivery, EventSources } from '../engine/event-sources/event-sources.js';
import type { InvocationReport } from '../engine/invocation-types.js';
import { dataRoot } from '../config/paths.js';
import { CodeFiles } from './code-files.js';
import { FunctionEditor } from './function-editor.js';
import { FunctionViews } from './function-views.js';
import { LabGallery } from './lab-gallery.js';
import { TestEvents } from './test-events.js';
import { WiringViews } from './wiring-views.js';

interface Session {
  workbench: Workbench;
  views: FunctionViews;
  editor: FunctionEditor;
  wiring: WiringViews;
  /** Events per canvas edge (source->target) since the workspace opened, for the canvas's counters. */
  deliveries: Map<string, number>;
  sources: EventSources | undefined;
  detach: () => void;
}

/** Opens another workspace: stops the current one, runs `prepare`, then starts the template. */
export type WorkspaceOpener = (templatePath: string, prepare: () => void) => Promise<void>;

type Handlers = { [K in ChannelName]: (args: ChannelArgs<K>) => Promise<ChannelResult<K>> | ChannelResult<K> };

export interface AppEvents {
  push: [PushEventName, PushEvents[PushEventName]];
}

/**
 * The console's side of the main process: one handler per channel of the contract, each a short
 * delegation to a service. The Electron IPC layer and the browser bridge both call `call()`, which
 * validates the arguments and turns failures into the contract's error envelope.
 */
export class WorkbenchApp extends EventEmitter<AppEvents> {
  private session!: Session;
  private readonly files = new CodeFiles();
  private readonly events: TestEvents;
  private invalidTemplate: string | undefined;
  /** Settles when the engine can run functions (images built); invocations wait for it. */
  private ready: Promise<unknown> = Promise.resolve();
  private readonly handlers: Handlers;
  /** The latest image build's output per function, for the Code tab of Image functions. */
  private readonly buildLogs = new Map<string, string[]>();
  private readonly labs: LabGallery;
  private openWorkspace: WorkspaceOpener | undefined;
  /** The workspace the console started with, to come back to from a lab. */
  private homeTemplate: string | undefined;
  /** The Lambda API of the running workspace, for the top bar and the guides. */
  private lambdaApi: string | undefined;

  constructor(
    workbench: Workbench,
    private readonly resourcesDir: string,
    private readonly logger: Logger,
  ) {
    super();
    this.attach(workbench);
    this.events = new TestEvents(path.join(resourcesDir, 'events'));
    this.labs = new LabGallery(path.join(resourcesDir, 'labs'), path.join(dataRoot(), 'labs'));
    this.handlers = {
      'workspace.get': () => this.workspaceInfo(),
      'functions.list': () => this.engine.functions().map((fn) => this.views.summary(fn)),
      'functions.get': ({ name }) => this.views.detail(this.fn(name)),
      'functions.blueprints': () => this.editor.blueprints(),
      'functions.create': ({ name, blueprint }) => {
        this.editor.create(name, blueprint);
        return this.views.summary(this.fn(name));
      },
      'functions.updateGeneral': async ({ name, ...values }) => {
        this.editor.updateGeneral(name, values);
        return this.views.detail(this.fn(name));
      },
      'functions.updateEnvironment': async ({ name, variables }) => {
        this.editor.updateEnvironment(name, variables);
        return this.views.detail(this.fn(name));
      },
      'functions.updateTags': async ({ name, tags }) => {
        this.editor.updateTags(name, tags);
        return this.views.detail(this.fn(name));
      },
      'functions.deploy': async ({ name }) => {
        await this.engine.redeploy(this.fn(name).name);
        return { deployedAt: new Date().toISOString() };
      },
      'functions.updateLayers': async ({ name, layers }) => {
        this.engine.admin.updateConfiguration(this.fn(name).name, { layers });
        return this.views.detail(this.fn(name));
      },
      'functions.updateFileSystems': async ({ name, fileSystems }) => {
        this.engine.admin.updateConfiguration(this.fn(name).name, {
          fileSystems: fileSystems.map((entry) => ({ Arn: entry.arn, LocalMountPath: entry.localMountPath })),
        });
        return this.views.detail(this.fn(name));
      },
      'functions.setCodeSigning': async ({ name, configArn }) => {
        this.engine.admin.setFunctionCodeSigningConfig(this.fn(name).name, configArn ?? undefined);
        return this.views.detail(this.fn(name));
      },
      'functions.buildImage': ({ name }) => {
        this.buildLogs.set(this.fn(name).name, []);
        return this.engine.buildImage(this.fn(name).name);
      },
      'images.buildLog': ({ name }) => ({ lines: this.buildLogs.get(this.fn(name).name) ?? [] }),
      'code.importZip': ({ name, zipBase64 }) => {
        const zip = Buffer.from(zipBase64, 'base64');
        if (zip.length < 22 || zip.readUInt32LE(0) !== 0x04034b50)
          throw new InputError('zip', 'The file is not a .zip archive; drop a .zip package.');
        return this.engine.admin.importZip(this.fn(name).name, zip);
      },
      'functions.publishVersion': async ({ name, description }) => {
        await this.engine.publishVersion(this.fn(name).name, { description });
        return this.views.detail(this.fn(name));
      },
      'code.list': ({ name }) => this.files.list(this.codeFolder(name)),
      'code.read': ({ name, path: file }) => ({ content: this.files.read(this.codeFolder(name), file) }),
      'code.write': ({ name, path: file, content }) => {
        this.files.write(this.codeFolder(name), file, content);
        return { savedAt: new Date().toISOString() };
      },
      'events.templates': () => this.events.templates(),
      'events.list': ({ name }) => this.events.list(this.engine.workspace.templateDir, this.fn(name).name),
      'events.save': ({ name, eventName, json }) => {
        this.events.save(this.engine.workspace.templateDir, this.fn(name).name, eventName, json);
        return this.events.list(this.engine.workspace.templateDir, this.fn(name).name);
      },
      'events.delete': ({ name, eventName }) => {
        this.events.delete(this.engine.workspace.templateDir, this.fn(name).name, eventName);
        return this.events.list(this.engine.workspace.templateDir, this.fn(name).name);
      },
      'invoke.run': ({ name, payload, qualifier }) => this.invoke(name, payload, qualifier),
      'logs.streams': ({ name }) =>
        this.workbench.logs.listStreams(logGroupName(this.fn(name).name)).map((stream) => ({
          name: stream.streamName,
          createdAt: new Date(stream.createdMs).toISOString(),
          lastEventAt: stream.lastEventMs === null ? null : new Date(stream.lastEventMs).toISOString(),
        })),
      'logs.query': ({ name, stream, filter, afterId, limit }) =>
        this.workbench.logs
          .query({
            groupName: logGroupName(this.fn(name).name),
            ...(stream ? { streamName: stream } : {}),
            ...(filter ? { contains: filter } : {}),
            ...(afterId !== undefined ? { afterId } : {}),
            limit: limit ?? 10_000,
          })
          .map(toLogLine),
      'metrics.get': ({ name, minutes }) =>
        this.engine.metrics.query(this.fn(name).name, Date.now() - minutes * 60_000).map((point) => ({
          minute: new Date(point.minuteMs).toISOString(),
          invocations: point.invocations,
          errors: point.errors,
          throttles: point.throttles,
          durationAverageMs: point.durationAverageMs,
          durationMaxMs: point.durationMaxMs,
        })),
      'sources.overview': () => this.session.wiring.overview(),
      'sources.objects': ({ bucket }) => this.sources().buckets.listObjects(this.bucket(bucket)),
      'sources.putObject': ({ bucket, key, base64 }) => {
        this.guarded('key', () => this.sources().buckets.putObject(this.bucket(bucket), key, Buffer.from(base64, 'base64')));
        return { key };
      },
      'sources.deleteObject': ({ bucket, key }) => {
        const removed = this.guarded('key', () => this.sources().buckets.deleteObject(this.bucket(bucket), key));
        if (!removed) throw new InputError('key', `Bucket ${bucket} has no object ${key}.`);
        return { key };
      },
      'sources.messages': ({ queue }) =>
        this.engine.messaging.peekMessages(this.queue(queue)).map((message) => ({
          messageId: message.messageId,
          body: message.body,
          receiveCount: message.receiveCount,
          sentAt: new Date(message.sentMs).toISOString(),
        })),
      'sources.sendMessage': ({ queue, body, groupId, deduplicationId }) => ({
        messageId: this.guarded('groupId', () =>
          this.sources().sendMessage(
            this.queue(queue),
            body,
            {},
            { ...(groupId ? { groupId } : {}), ...(deduplicationId ? { deduplicationId } : {}) },
          ),
        ),
      }),
      'sources.publish': ({ topic, message, subject }) => {
        if (!this.engine.workspace.triggers.topics.some((known) => known.name === topic))
          throw new InputError('topic', `Topic ${topic} is not in the template; add it on the canvas first.`);
        return { messageId: this.sources().publish(topic, message, subject) };
      },
      'sources.putEvent': ({ bus, source, detailType, detail }) => {
        if (!this.engine.workspace.triggers.buses.includes(bus))
          throw new InputError('bus', `Event bus ${bus} is not in the template; add it on the canvas first.`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(detail);
        } catch (error) {
          throw new InputError('detail', `The detail is not valid JSON: ${errorMessage(error)}`);
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new InputError('detail', 'The detail must be a JSON object, as EventBridge requires.');
        const [eventId] = this.sources().putEvents(bus, [{ source, detailType, detail: parsed }]);
        return { eventId: eventId! };
      },
      'canvas.graph': () => this.session.wiring.graph(),
      'canvas.counts': () => Object.fromEntries(this.session.deliveries),
      'wiring.addTrigger': ({ functionName, kind, source, newSourceName, options }) => ({
        eventName: this.session.wiring.addTrigger(this.fn(functionName).name, kind, source, newSourceName, options),
      }),
      'wiring.remove': ({ ref }) => {
        this.session.wiring.remove(ref);
        return { removed: true as const };
      },
      'wiring.setDestination': ({ functionName, condition, target }) => {
        this.session.wiring.setDestination(this.fn(functionName).name, condition, target);
        return { set: true as const };
      },
      'wiring.addResource': ({ type, name }) => ({ logicalId: this.session.wiring.addResource(type, name) }),
      'labs.list': () => this.labs.list(),
      'labs.open': async ({ id, reset }) => {
        const opener = this.opener();
        const templatePath = this.labs.templateOf(id);
        // A reset copies the shipped lab again once its containers and servers have stopped.
        await opener(templatePath, () => this.labs.prepare(id, reset === true));
        return { templatePath };
      },
      'workspace.openHome': async () => {
        if (!this.homeTemplate) throw new InputError('workspace', 'This console has no other workspace to go back to.');
        await this.opener()(this.homeTemplate, () => undefined);
        return { templatePath: this.homeTemplate };
      },
      'workspace.guide': () => {
        const { templatePath } = this.engine.workspace;
        const markdown = this.labs.guideBeside(templatePath);
        // Guides name the lab's own template and the Lambda API as {{template}} and {{api}}.
        return {
          markdown:
            markdown && markdown.replaceAll('{{template}}', templatePath).replaceAll('{{api}}', this.lambdaApi ?? 'http://127.0.0.1:3001'),
        };
      },
    };
  }

  /**
   * Lets the console open another workspace (a lab): the host stops this one's service, runs
   * `prepare`, and starts the next. The workspace open now is the one to come back to.
   */
  setWorkspaceOpener(opener: WorkspaceOpener): void {
    this.openWorkspace = opener;
    this.homeTemplate = this.engine.workspace.templatePath;
  }

  /** Records the Lambda API's address once the workspace's service listens. */
  setLambdaApi(endpoint: string | undefined): void {
    this.lambdaApi = endpoint;
    this.emit('push', 'workspace.changed', { at: new Date().toISOString() });
  }

  private opener(): WorkspaceOpener {
    if (!this.openWorkspace)
      throw new InputError('id', 'This console cannot open another workspace; start it with --template on the lab folder.');
    return this.openWorkspace;
  }

  /**
   * Points the console at a workspace: the function views, the editor and the events all follow
   * it, and the previous workspace's listeners are removed. The console opens another workspace
   * (a lab) through this.
   */
  attach(workbench: Workbench): void {
    this.session?.detach();
    this.invalidTemplate = undefined;
    const wiring = new WiringViews(workbench.engine, () => this.session.sources);
    this.session = {
      workbench,
      views: new FunctionViews(workbench.engine, (fn) => wiring.triggersOf(fn.name)),
      editor: new FunctionEditor(workbench.engine, path.join(this.resourcesDir, 'blueprints')),
      wiring,
      deliveries: new Map(),
      sources: undefined,
      detach: () => undefined,
    };
    this.session.detach = this.forwardEvents(workbench);
    this.emit('push', 'workspace.changed', { at: new Date().toISOString() });
  }

  /** Gives the console the running event sources, for their pages and the canvas's live counters. */
  attachSources(sources: EventSources): void {
    const session = this.session;
    session.sources = sources;
    const onDelivered = (delivery: Delivery): void => {
      const source = `${SOURCE_NODE_KINDS[delivery.kind]}:${delivery.source}`;
      this.count(`${source}->fn:${delivery.functionName}`, delivery.count);
      this.emit('push', 'trigger.delivered', { kind: delivery.kind, source, functionName: delivery.functionName, count: delivery.count });
    };
    sources.on('delivered', onDelivered);
    const previous = session.detach;
    session.detach = () => {
      previous();
      sources.off('delivered', onDelivered);
    };
  }

  get workbench(): Workbench {
    return this.session.workbench;
  }

  private get engine(): LambdaEngine {
    return this.session.workbench.engine;
  }

  private get views(): FunctionViews {
    return this.session.views;
  }

  private get editor(): FunctionEditor {
    return this.session.editor;
  }

  /** Makes invocations wait until `starting` settles: the engine is still building images. */
  waitFor(starting: Promise<unknown>): void {
    this.ready = starting.catch(() => undefined);
  }

  /** Reports long work to the console (image builds, container starts). */
  progress(message: string): void {
    this.emit('push', 'progress', { message });
  }

  private count(edge: string, events: number): void {
    const { deliveries } = this.session;
    deliveries.set(edge, (deliveries.get(edge) ?? 0) + events);
  }

  /** Runs one channel: checks its arguments, calls its handler, and wraps the outcome. */
  async call(channel: string, rawArgs: unknown): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(CHANNEL_SCHEMAS, channel)) {
      return { ok: false, error: { code: 'UnknownChannel', source: 'caller', message: `${channel} is not a channel of the workbench.` } };
    }
    const name = channel as ChannelName;
    const parsed = CHANNEL_SCHEMAS[name].safeParse(rawArgs ?? {}, { error: plainIssue });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      const label = CHANNEL_FIELD_LABELS[name]?.[field] ?? FIELD_LABELS[field] ?? (field || 'The request');
      return {
        ok: false,
        error: { code: 'InvalidInput', source: 'caller', message: `${label} ${issue.message}.`, field },
      };
    }
    try {
      const handler = this.handlers[name] as (args: unknown) => unknown;
      return { ok: true, result: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: toContractError(error, this.logger, channel) };
    }
  }

  private workspaceInfo() {
    const { engine } = this.workbench;
    const workspace = engine.workspace;
    return {
      templatePath: workspace.templatePath,
      templateDir: workspace.templateDir,
      name: path.basename(workspace.templateDir),
      region: engine.account.region,
      accountId: engine.account.accountId,
      timeScale: engine.settings.timeScale,
      accountConcurrency: engine.settings.accountConcurrency,
      warnings: workspace.warnings,
      lambdaApi: this.lambdaApi ?? null,
      homeTemplate: this.homeTemplate && this.homeTemplate !== workspace.templatePath ? this.homeTemplate : null,
      ...(this.invalidTemplate ? { invalidTemplate: this.invalidTemplate } : {}),
    };
  }

  private async invoke(name: string, payload: string, qualifier: string | undefined): Promise<InvokeOutcome> {
    await this.ready;
    const fn = this.fn(name);
    try {
      JSON.parse(payload);
    } catch (error) {
      throw new InputError('payload', `The event is not valid JSON: ${errorMessage(error)}`);
    }
    const bytes = Buffer.byteLength(payload);
    if (bytes > 6 * 1024 * 1024)
      throw new InputError('payload', `The event is ${bytes} bytes; a synchronous invocation takes at most 6291456 bytes.`);
    try {
      const result = await this.workbench.engine.invoke(fn.name, { requestId: randomUUID(), payload: Buffer.from(payload) }, qualifier);
      this.views.failures.delete(fn.name);
      const report = await result.report;
      return {
        requestId: result.requestId,
        status: result.status,
        response: result.payload.toString('utf8'),
        functionError: result.functionError ?? null,
        executedVersion: result.executedVersion,
        durationMs: report.durationMs,
        billedDurationMs: report.billedDurationMs,
        memorySizeMb: report.memorySizeMb,
        maxMemoryUsedMb: report.maxMemoryUsedMb,
        initDurationMs: report.initDurationMs ?? null,
        log: report.log,
      };
    } catch (error) {
      if (isWorkbenchError(error) && error.source !== 'caller') this.views.failures.set(fn.name, error.message);
      if (isWorkbenchError(error) && (error.code === 'ImageMissing' || error.code === 'LayerNotFound' || error.code === 'CodeTooLarge'))
        this.views.failures.set(fn.name, error.message);
      throw error;
    }
  }

  private fn(name: string) {
    const fn = this.workbench.engine.findFunction(name);
    if (!fn) throw new InputError('name', `Function ${name} is not in the template.`);
    return fn;
  }

  /** Returns the running event sources, or fails while the workspace's service is still starting. */
  private sources(): EventSources {
    const { sources } = this.session;
    if (!sources) throw new InputError('bucket', 'The event sources are not running yet; wait until the workspace has started.');
    return sources;
  }

  private bucket(name: string): string {
    if (!this.engine.workspace.triggers.buckets.some((bucket) => bucket.name === name))
      throw new InputError('bucket', `Bucket ${name} is not in the template; add it on the canvas first.`);
    return name;
  }

  private queue(name: string): string {
    if (!this.engine.workspace.triggers.queues.some((queue) => queue.name === name))
      throw new InputError('queue', `Queue ${name} is not in the template; add it on the canvas first.`);
    return name;
  }

  /** Runs an event source action, turning its plain errors (a bad key, a FIFO message without a group) into input errors. */
  private guarded<T>(field: string, action: () => T): T {
    try {
      return action();
    } catch (error) {
      if (isWorkbenchError(error) || error instanceof InputError) throw error;
      throw new InputError(field, errorMessage(error));
    }
  }

  private codeFolder(name: string): string {
    const fn = this.fn(name);
    if (fn.code.kind !== 'folder')
      throw new InputError('name', `${name}'s code is a ${fn.code.kind} package; only a code folder can be edited here.`);
    return fn.code.path;
  }

  /** Forwards a workspace's events to the console; returns the function that stops forwarding them. */
  private forwardEvents(workbench: Workbench): () => void {
    const { engine, workspace, logs } = workbench;
    const push = <K extends PushEventName>(name: K, payload: PushEvents[K]): void => {
      this.emit('push', name, payload);
    };
    const onChanged = (): void => {
      this.invalidTemplate = undefined;
      push('workspace.changed', { at: new Date().toISOString() });
    };
    const onControlPlane = (): void => push('workspace.changed', { at: new Date().toISOString() });
    const onInvalid = (error: Error): void => {
      this.invalidTemplate = error.message;
      push('workspace.invalid', { message: error.message });
    };
    const onDestination = ({
      functionName,
      arn,
      condition,
    }: {
      functionName: string;
      arn: string;
      condition: 'OnSuccess' | 'OnFailure' | 'DeadLetter';
    }): void => {
      const target = destinationTarget(arn);
      if (!target) return;
      const node = `${DESTINATION_NODE_KINDS[target.kind]}:${target.name}`;
      this.count(`fn:${functionName}->${node}`, 1);
      push('destination.delivered', { functionName, target: node, condition });
    };
    const onReport = (report: InvocationReport): void =>
      push('invocation.finished', {
        functionName: report.functionName,
        requestId: report.requestId,
        status: report.status,
        durationMs: report.durationMs,
      });
    const onProgress = ({ functionName, message }: { functionName: string; message: string }): void => {
      if (!message.startsWith('Starting a container')) {
        const lines = this.buildLogs.get(functionName) ?? [];
        lines.push(message);
        if (lines.length > 2_000) lines.splice(0, lines.length - 2_000);
        this.buildLogs.set(functionName, lines);
      }
      push('progress', { message, functionName });
    };
    const onLogs = (events: LogEvent[]): void => {
      const byFunction = new Map<string, LogLine[]>();
      for (const event of events) {
        const functionName = event.groupName.replace(/^\/aws\/lambda\//, '');
        byFunction.set(functionName, [...(byFunction.get(functionName) ?? []), toLogLine(event)]);
      }
      for (const [functionName, lines] of byFunction) push('logs.appended', { functionName, lines });
    };
    workspace.on('changed', onChanged);
    workspace.on('invalid', onInvalid);
    engine.on('report', onReport);
    engine.on('destination', onDestination);
    engine.on('controlPlaneChanged', onControlPlane);
    engine.on('progress', onProgress);
    logs.on('appended', onLogs);
    return () => {
      workspace.off('changed', onChanged);
      workspace.off('invalid', onInvalid);
      engine.off('report', onReport);
      engine.off('destination', onDestination);
      engine.off('controlPlaneChanged', onControlPlane);
      engine.off('progress', onProgress);
      logs.off('appended', onLogs);
    };
  }
}

/** The canvas node kind of each event source, so that pushes name the node an event came from. */
const SOURCE_NODE_KINDS: Record<Delivery['kind'], string> = {
  s3: 'bucket',
  sqs: 'queue',
  sns: 'topic',
  eventbridge: 'rule',
  schedule: 'rule',
  url: 'url',
  alb: 'listener',
  api: 'api',
};

const DESTINATION_NODE_KINDS: Record<string, string> = { sqs: 'queue', sns: 'topic', eventbridge: 'bus', lambda: 'fn' };

/** Labels of fields whose meaning depends on the channel. */
const CHANNEL_FIELD_LABELS: Partial<Record<ChannelName, Record<string, string>>> = {
  'wiring.addResource': { name: 'The resource name' },
};

/** Names of the contract's fields as the console labels them, for messages about invalid input. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'Function name',
  eventName: 'Event name',
  json: 'The event',
  payload: 'The event',
  path: 'The file path',
  description: 'Description',
  bucket: 'Bucket',
  key: 'Object key',
  queue: 'Queue',
  topic: 'Topic',
  bus: 'Event bus',
  body: 'The message body',
  message: 'The message',
  detail: 'The event detail',
  functionName: 'Function name',
  newSourceName: 'The new resource name',
  id: 'Lab',
  source: 'Source',
  detailType: 'Detail type',
  subject: 'Subject',
  groupId: 'Message group id',
  deduplicationId: 'Deduplication id',
  type: 'Resource type',
};

/** Words for zod's generic checks, where a schema gives no message of its own; they follow the field's label. */
function plainIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return issue.minimum === 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters`;
      return undefined;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${issue.maximum} characters`;
      return undefined;
    case 'invalid_type':
      return issue.input === undefined ? 'is missing' : `must be a ${issue.expected}`;
    default:
      return undefined;
  }
}

function toLogLine(event: LogEvent): LogLine {
  return {
    id: event.id,
    timestamp: new Date(event.timestampMs).toISOString(),
    stream: event.streamName,
    message: event.message,
    requestId: event.requestId ?? null,
    kind: event.kind,
  };
}

function toContractError(error: unknown, logger: Logger, channel: string): ContractError {
  if (error instanceof InputError) return { code: error.code, source: 'caller', message: error.message, field: error.field };
  if (error instanceof TemplateError) {
    // An edit that would make the template invalid: the first problem names the property.
    const problem = error.problems[0];
    return {
      code: error.code,
      source: 'caller',
      message: problem ? `${problem.path ? `${problem.path}: ` : ''}${problem.message}` : error.message,
      ...(problem ? { field: problem.path } : {}),
    };
  }
  if (isWorkbenchError(error)) return { code: error.code, source: error.source, message: error.message };
  logger.error({ err: error, channel }, 'A console request failed unexpectedly');
  return { code: 'InternalError', source: 'platform', message: `The workbench failed: ${errorMessage(error)}` };
}
