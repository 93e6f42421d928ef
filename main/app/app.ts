import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { InputError, isWorkbenchError, errorMessage } from '../core/errors.js';
import { TemplateError } from '../core/errors.js';
import { logGroupName } from '../core/lambda-format.js';
import type { ChannelArgs, ChannelName, ChannelResult, ContractError, Envelope, PushEventName, PushEvents } from '../contract/channels.js';
import { CHANNEL_SCHEMAS } from '../contract/schemas.js';
import type { InvokeOutcome, LogLine } from '../contract/types.js';
import type { Logger } from '../logging.js';
import type { LogEvent } from '../store/log-store.js';
import type { Workbench } from '../workbench.js';
import { CodeFiles } from './code-files.js';
import { FunctionEditor } from './function-editor.js';
import { FunctionViews } from './function-views.js';
import { TestEvents } from './test-events.js';

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
  private readonly views: FunctionViews;
  private readonly editor: FunctionEditor;
  private readonly files = new CodeFiles();
  private readonly events: TestEvents;
  private invalidTemplate: string | undefined;
  /** Settles when the engine can run functions (images built); invocations wait for it. */
  private ready: Promise<unknown> = Promise.resolve();
  private readonly handlers: Handlers;
  /** The latest image build's output per function, for the Code tab of Image functions. */
  private readonly buildLogs = new Map<string, string[]>();

  constructor(
    readonly workbench: Workbench,
    resourcesDir: string,
    private readonly logger: Logger,
  ) {
    super();
    const { engine } = workbench;
    this.views = new FunctionViews(engine);
    this.editor = new FunctionEditor(engine, path.join(resourcesDir, 'blueprints'));
    this.events = new TestEvents(path.join(resourcesDir, 'events'));
    this.handlers = {
      'workspace.get': () => this.workspaceInfo(),
      'functions.list': () => engine.functions().map((fn) => this.views.summary(fn)),
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
        await engine.redeploy(this.fn(name).name);
        return { deployedAt: new Date().toISOString() };
      },
      'functions.updateLayers': async ({ name, layers }) => {
        engine.admin.updateConfiguration(this.fn(name).name, { layers });
        return this.views.detail(this.fn(name));
      },
      'functions.updateFileSystems': async ({ name, fileSystems }) => {
        engine.admin.updateConfiguration(this.fn(name).name, {
          fileSystems: fileSystems.map((entry) => ({ Arn: entry.arn, LocalMountPath: entry.localMountPath })),
        });
        return this.views.detail(this.fn(name));
      },
      'functions.setCodeSigning': async ({ name, configArn }) => {
        engine.admin.setFunctionCodeSigningConfig(this.fn(name).name, configArn ?? undefined);
        return this.views.detail(this.fn(name));
      },
      'functions.buildImage': ({ name }) => {
        this.buildLogs.set(this.fn(name).name, []);
        return engine.buildImage(this.fn(name).name);
      },
      'images.buildLog': ({ name }) => ({ lines: this.buildLogs.get(this.fn(name).name) ?? [] }),
      'code.importZip': ({ name, zipBase64 }) => {
        const zip = Buffer.from(zipBase64, 'base64');
        if (zip.length < 22 || zip.readUInt32LE(0) !== 0x04034b50)
          throw new InputError('zip', 'The file is not a .zip archive; drop a .zip package.');
        return engine.admin.importZip(this.fn(name).name, zip);
      },
      'functions.publishVersion': async ({ name, description }) => {
        await engine.publishVersion(this.fn(name).name, { description });
        return this.views.detail(this.fn(name));
      },
      'code.list': ({ name }) => this.files.list(this.codeFolder(name)),
      'code.read': ({ name, path: file }) => ({ content: this.files.read(this.codeFolder(name), file) }),
      'code.write': ({ name, path: file, content }) => {
        this.files.write(this.codeFolder(name), file, content);
        return { savedAt: new Date().toISOString() };
      },
      'events.templates': () => this.events.templates(),
      'events.list': ({ name }) => this.events.list(engine.workspace.templateDir, this.fn(name).name),
      'events.save': ({ name, eventName, json }) => {
        this.events.save(engine.workspace.templateDir, this.fn(name).name, eventName, json);
        return this.events.list(engine.workspace.templateDir, this.fn(name).name);
      },
      'events.delete': ({ name, eventName }) => {
        this.events.delete(engine.workspace.templateDir, this.fn(name).name, eventName);
        return this.events.list(engine.workspace.templateDir, this.fn(name).name);
      },
      'invoke.run': ({ name, payload, qualifier }) => this.invoke(name, payload, qualifier),
      'logs.streams': ({ name }) =>
        workbench.logs.listStreams(logGroupName(this.fn(name).name)).map((stream) => ({
          name: stream.streamName,
          createdAt: new Date(stream.createdMs).toISOString(),
          lastEventAt: stream.lastEventMs === null ? null : new Date(stream.lastEventMs).toISOString(),
        })),
      'logs.query': ({ name, stream, filter, afterId, limit }) =>
        workbench.logs
          .query({
            groupName: logGroupName(this.fn(name).name),
            ...(stream ? { streamName: stream } : {}),
            ...(filter ? { contains: filter } : {}),
            ...(afterId !== undefined ? { afterId } : {}),
            limit: limit ?? 10_000,
          })
          .map(toLogLine),
      'metrics.get': ({ name, minutes }) =>
        engine.metrics.query(this.fn(name).name, Date.now() - minutes * 60_000).map((point) => ({
          minute: new Date(point.minuteMs).toISOString(),
          invocations: point.invocations,
          errors: point.errors,
          throttles: point.throttles,
          durationAverageMs: point.durationAverageMs,
          durationMaxMs: point.durationMaxMs,
        })),
    };
    this.forwardEvents();
  }

  /** Makes invocations wait until `starting` settles: the engine is still building images. */
  waitFor(starting: Promise<unknown>): void {
    this.ready = starting.catch(() => undefined);
  }

  /** Reports long work to the console (image builds, container starts). */
  progress(message: string): void {
    this.emit('push', 'progress', { message });
  }

  /** Runs one channel: checks its arguments, calls its handler, and wraps the outcome. */
  async call(channel: string, rawArgs: unknown): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(CHANNEL_SCHEMAS, channel)) {
      return { ok: false, error: { code: 'UnknownChannel', source: 'caller', message: `${channel} is not a channel of the workbench.` } };
    }
    const name = channel as ChannelName;
    const parsed = CHANNEL_SCHEMAS[name].safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      const label = FIELD_LABELS[field] ?? (field || 'The request');
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

  private codeFolder(name: string): string {
    const fn = this.fn(name);
    if (fn.code.kind !== 'folder')
      throw new InputError('name', `${name}'s code is a ${fn.code.kind} package; only a code folder can be edited here.`);
    return fn.code.path;
  }

  private forwardEvents(): void {
    const { engine, workspace, logs } = this.workbench;
    const push = <K extends PushEventName>(name: K, payload: PushEvents[K]): void => {
      this.emit('push', name, payload);
    };
    workspace.on('changed', () => {
      this.invalidTemplate = undefined;
      push('workspace.changed', { at: new Date().toISOString() });
    });
    workspace.on('invalid', (error) => {
      this.invalidTemplate = error.message;
      push('workspace.invalid', { message: error.message });
    });
    engine.on('report', (report) =>
      push('invocation.finished', {
        functionName: report.functionName,
        requestId: report.requestId,
        status: report.status,
        durationMs: report.durationMs,
      }),
    );
    engine.on('progress', ({ functionName, message }) => {
      if (!message.startsWith('Starting a container')) {
        const lines = this.buildLogs.get(functionName) ?? [];
        lines.push(message);
        if (lines.length > 2_000) lines.splice(0, lines.length - 2_000);
        this.buildLogs.set(functionName, lines);
      }
      push('progress', { message, functionName });
    });
    logs.on('appended', (events) => {
      const byFunction = new Map<string, LogLine[]>();
      for (const event of events) {
        const functionName = event.groupName.replace(/^\/aws\/lambda\//, '');
        byFunction.set(functionName, [...(byFunction.get(functionName) ?? []), toLogLine(event)]);
      }
      for (const [functionName, lines] of byFunction) push('logs.appended', { functionName, lines });
    });
  }
}

/** Names of the contract's fields as the console labels them, for messages about invalid input. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: 'Function name',
  eventName: 'Event name',
  json: 'The event',
  payload: 'The event',
  path: 'The file path',
  description: 'Description',
};

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
