import { InputError } from '../core/errors.js';
import { destinationTarget } from '../core/arn.js';
import { functionArn } from '../core/lambda-format.js';
import { parseLayerArn } from '../core/template/layer-config.js';
import { checkEventPattern, EventPatternError } from '../core/triggers/event-pattern.js';
import { parseSchedule, ScheduleError } from '../core/triggers/schedule.js';
import type { TriggerSource } from '../core/triggers/trigger-config.js';
import type { CanvasEdge, CanvasGraph, CanvasNode, SourcesOverview, TriggerInfo, TriggerKind, WiringRef } from '../contract/types.js';
import type { LambdaEngine } from '../engine/engine.js';
import type { EventSources } from '../engine/event-sources/event-sources.js';
import type { SamEvent } from '../engine/wiring.js';

function busDetail(name: string): string {
  return name === 'default' ? 'default bus' : 'custom bus';
}

/** Trigger types of the function overview, per kind of source node; rules and routes depend on the edge. */
const TRIGGER_TYPES: Partial<Record<CanvasNode['kind'], string>> = {
  bucket: 'S3',
  queue: 'SQS',
  topic: 'SNS',
  url: 'FunctionUrl',
  listener: 'ALB',
};

const DESTINATION_NODE_KINDS = { sqs: 'queue', sns: 'topic', eventbridge: 'bus', lambda: 'function' } as const;
const DESTINATION_LABELS = { OnSuccess: 'on success', OnFailure: 'on failure', DLQ: 'dead-letter queue' } as const;

function triggerType(edge: CanvasEdge, source: CanvasNode): string {
  if (source.kind === 'rule') return source.detail.startsWith('pattern') ? 'EventBridgeRule' : 'Schedule';
  if (source.kind === 'api') return edge.label;
  return TRIGGER_TYPES[source.kind] ?? source.kind;
}

/** Names a trigger as the template does: its event name, its resource's logical id, or FunctionUrlConfig. */
function triggerName(edge: CanvasEdge, source: CanvasNode): string {
  switch (edge.ref?.kind) {
    case 'event':
      return edge.ref.eventName;
    case 'resource':
      return edge.ref.logicalId;
    case 'url':
      return 'FunctionUrlConfig';
    default:
      return source.label;
  }
}

/**
 * The console's view of a workspace's wiring: the event sources with their contents, the whole
 * workspace as a graph for the canvas, and the changes the canvas makes to the template.
 */
export class WiringViews {
  constructor(
    private readonly engine: LambdaEngine,
    private readonly sources: () => EventSources | undefined,
  ) {}

  overview(): SourcesOverview {
    const { engine } = this;
    const { triggers } = engine.workspace;
    const messaging = engine.messaging;
    const topics = new Map(messaging.listTopics().map((topic) => [topic.name, topic.messages]));
    const buses = new Map(messaging.listBuses().map((bus) => [bus.name, bus.events]));
    const running = this.sources();
    return {
      buckets: triggers.buckets.map((bucket) => ({
        name: bucket.name,
        logicalId: bucket.logicalId,
        objects: running?.buckets.listObjects(bucket.name).length ?? 0,
        folder: running?.buckets.folderOf(bucket.name) ?? '',
      })),
      queues: triggers.queues.map((queue) => ({
        name: queue.name,
        logicalId: queue.logicalId,
        arn: queue.arn,
        fifo: queue.fifo,
        contentBasedDeduplication: queue.contentBasedDeduplication,
        ...messaging.queueDepth(queue.name),
        deadLetterQueue: queue.redrive?.deadLetterQueue ?? null,
      })),
      topics: triggers.topics.map((topic) => ({
        name: topic.name,
        logicalId: topic.logicalId,
        arn: topic.arn,
        messages: topics.get(topic.name) ?? 0,
        subscribers: topic.subscriptions.map((subscription) => subscription.functionName),
      })),
      buses: triggers.buses.map((name) => ({ name, events: buses.get(name) ?? 0 })),
      rules: triggers.rules.map((rule) => ({
        name: rule.name,
        bus: rule.bus,
        schedule: rule.schedule ?? null,
        pattern: rule.pattern ? JSON.stringify(rule.pattern) : null,
        targets: rule.targets.map((target) => target.functionName),
        enabled: rule.enabled,
      })),
      endpoints: running?.endpoints() ?? [],
      routes: triggers.apis.map((route) => ({
        method: route.method,
        path: route.path ?? '$default',
        functionName: route.functionName,
        kind: route.kind,
      })),
      signing: {
        accessKeyId: engine.account.credentials.accessKeyId,
        secretAccessKey: engine.account.credentials.secretAccessKey,
        region: engine.account.region,
      },
    };
  }

  /** Builds the workspace graph: sources before the functions they invoke, destinations after them. */
  graph(): CanvasGraph {
    const { engine } = this;
    const { triggers } = engine.workspace;
    const nodes = new Map<string, CanvasNode>();
    const edges: CanvasEdge[] = [];
    const node = (id: string, kind: CanvasNode['kind'], label: string, detail: string, logicalId: string | null): string => {
      if (!nodes.has(id)) nodes.set(id, { id, kind, label, detail, logicalId });
      return id;
    };
    const edge = (source: string, target: string, kind: CanvasEdge['kind'], label: string, ref: WiringRef | null): void => {
      edges.push({ id: `${kind}:${source}->${target}:${label}`, source, target, kind, label, ref });
    };
    const refOf = (source: TriggerSource): WiringRef =>
      source.kind === 'event' ? { ...source } : { kind: 'resource', logicalId: source.logicalId };

    for (const fn of engine.functions()) {
      node(`fn:${fn.name}`, 'function', fn.name, `${fn.runtime?.id ?? 'Image'} · ${fn.memoryMb} MB`, fn.logicalId);
      for (const arn of fn.layers) {
        const layer = parseLayerArn(arn);
        const id = node(`layer:${layer?.name ?? arn}`, 'layer', layer?.name ?? arn, layer ? `version ${layer.version}` : 'layer', null);
        edge(id, `fn:${fn.name}`, 'layer', 'layer', null);
      }
    }
    for (const queue of triggers.queues)
      node(`queue:${queue.name}`, 'queue', queue.name, queue.fifo ? 'FIFO' : 'standard', queue.logicalId);
    for (const queue of triggers.queues) {
      if (queue.redrive)
        edge(
          `queue:${queue.name}`,
          node(`queue:${queue.redrive.deadLetterQueue}`, 'queue', queue.redrive.deadLetterQueue, 'not in the template', null),
          'redrive',
          `after ${queue.redrive.maxReceiveCount} receives`,
          null,
        );
    }
    // Custom buses show even before a rule uses them; the default bus once something does.
    for (const bus of triggers.buses) if (bus !== 'default') node(`bus:${bus}`, 'bus', bus, busDetail(bus), null);
    for (const bucket of triggers.buckets) {
      node(`bucket:${bucket.name}`, 'bucket', bucket.name, bucket.logicalId, bucket.logicalId);
      for (const notification of bucket.notifications) {
        // The label names the keys, and the events too unless they are every created object.
        const keys = notification.prefix || notification.suffix ? `${notification.prefix ?? ''}*${notification.suffix ?? ''}` : 'all keys';
        const events =
          notification.events.join(' ') === 's3:ObjectCreated:*'
            ? ''
            : ` ${notification.events.map((name) => name.replace(/^s3:/, '')).join(', ')}`;
        edge(`bucket:${bucket.name}`, `fn:${notification.functionName}`, 'trigger', `S3 ${keys}${events}`, refOf(notification.source));
      }
    }
    for (const mapping of triggers.queueMappings) {
      const id = node(`queue:${mapping.queue}`, 'queue', mapping.queue, 'not in the template', null);
      edge(
        id,
        `fn:${mapping.functionName}`,
        'trigger',
        `SQS batch ${mapping.batchSize}${mapping.enabled ? '' : ' (disabled)'}`,
        refOf(mapping.source),
      );
    }
    for (const topic of triggers.topics) {
      node(
        `topic:${topic.name}`,
        'topic',
        topic.name,
        `${topic.subscriptions.length} subscription${topic.subscriptions.length === 1 ? '' : 's'}`,
        topic.logicalId || null,
      );
      for (const subscription of topic.subscriptions)
        edge(`topic:${topic.name}`, `fn:${subscription.functionName}`, 'trigger', 'SNS', refOf(subscription.source));
    }
    for (const rule of triggers.rules) {
      const id = node(
        `rule:${rule.name}`,
        'rule',
        rule.name,
        rule.schedule ?? `pattern on ${rule.bus}`,
        rule.source.kind === 'resource' ? rule.source.logicalId : null,
      );
      if (rule.pattern) edge(node(`bus:${rule.bus}`, 'bus', rule.bus, busDetail(rule.bus), null), id, 'trigger', 'pattern', null);
      for (const target of rule.targets)
        edge(id, `fn:${target.functionName}`, 'trigger', rule.schedule ? 'schedule' : 'EventBridge', refOf(rule.source));
    }
    for (const url of triggers.urls) {
      const id = node(`url:${url.functionName}`, 'url', 'Function URL', url.authType, null);
      edge(id, `fn:${url.functionName}`, 'trigger', 'HTTPS', { kind: 'url', functionName: url.functionName });
    }
    for (const route of triggers.apis) {
      const routeKey = route.path ? `${route.method} ${route.path}` : '$default';
      const id = node(`api:${routeKey}`, 'api', routeKey, `${route.kind} · payload ${route.payloadVersion}`, null);
      edge(id, `fn:${route.functionName}`, 'trigger', route.kind, refOf(route.source));
    }
    for (const listener of triggers.listeners) {
      const id = node(
        `listener:${listener.logicalId}`,
        'listener',
        listener.logicalId,
        `template port ${listener.port}`,
        listener.logicalId,
      );
      const targets = new Set(
        [listener.defaultTarget?.functionName, ...listener.rules.map((rule) => rule.targetGroup.functionName)].filter(Boolean) as string[],
      );
      for (const functionName of targets) edge(id, `fn:${functionName}`, 'trigger', 'ALB', null);
    }
    // Destinations of asynchronous invocations and dead-letter queues.
    for (const fn of engine.functions()) {
      const add = (condition: 'OnSuccess' | 'OnFailure' | 'DLQ', arn: string | undefined): void => {
        if (!arn) return;
        const target = destinationTarget(arn);
        if (!target) return;
        const kind = DESTINATION_NODE_KINDS[target.kind];
        const id =
          kind === 'function'
            ? `fn:${target.name}`
            : node(`${kind}:${target.name}`, kind, target.name, kind === 'bus' ? busDetail(target.name) : 'not in the template', null);
        if (!nodes.has(id)) node(id, 'function', target.name, 'function', null);
        const label = DESTINATION_LABELS[condition];
        edge(
          `fn:${fn.name}`,
          id,
          'destination',
          label,
          condition === 'DLQ'
            ? { kind: 'deadLetterQueue', functionName: fn.name }
            : { kind: 'destination', functionName: fn.name, condition },
        );
      };
      add('OnSuccess', fn.eventInvoke?.onSuccess);
      add('OnFailure', fn.eventInvoke?.onFailure);
      add('DLQ', fn.deadLetterArn);
    }
    return { nodes: [...nodes.values()], edges };
  }

  /** Lists a function's triggers for its overview diagram: every source the canvas draws into it. */
  triggersOf(functionName: string): TriggerInfo[] {
    const graph = this.graph();
    const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
    return graph.edges
      .filter((edge) => edge.kind === 'trigger' && edge.target === `fn:${functionName}`)
      .map((edge) => {
        const source = nodes.get(edge.source)!;
        const label = source.kind === 'rule' ? `${source.label} (${source.detail})` : source.label;
        return { name: triggerName(edge, source), type: triggerType(edge, source), source: label };
      });
  }

  /** Adds a trigger of `kind` to a function, creating its source first when asked to. */
  addTrigger(
    functionName: string,
    kind: TriggerKind,
    source: string | null,
    newSourceName: string | null,
    options: Record<string, string | number | boolean>,
  ): string {
    const { wiring } = this.engine;
    const text = (key: string): string | undefined =>
      options[key] === undefined || options[key] === '' ? undefined : String(options[key]);
    const sourceId = (type: 'bucket' | 'queue' | 'topic'): string => {
      if (newSourceName) return this.addResource(type, newSourceName);
      if (!source) throw new InputError('source', `Choose a ${type} for the trigger, or name a new one.`);
      const { triggers } = this.engine.workspace;
      const resources = { bucket: triggers.buckets, queue: triggers.queues, topic: triggers.topics }[type];
      const known = resources.map((resource) => resource.logicalId);
      if (!known.includes(source))
        throw new InputError(
          'source',
          `${source} is not a ${type} of the template; choose one of: ${known.join(', ') || 'none yet, so name a new one'}.`,
        );
      // One trigger per source and function: a second would deliver every event twice.
      const name = resources.find((resource) => resource.logicalId === source)!.name;
      const existing = this.graph().edges.find(
        (edge) => edge.kind === 'trigger' && edge.source === `${type}:${name}` && edge.target === `fn:${functionName}`,
      );
      if (existing)
        throw new InputError(
          'source',
          `${functionName} already has a trigger from ${type} ${name} (${existing.label}); select its edge to remove or change it.`,
        );
      return source;
    };
    let event: SamEvent;
    switch (kind) {
      case 'S3': {
        const rules = [
          ...(text('prefix') ? [{ Name: 'prefix', Value: text('prefix') }] : []),
          ...(text('suffix') ? [{ Name: 'suffix', Value: text('suffix') }] : []),
        ];
        event = {
          Type: 'S3',
          Properties: {
            Bucket: { Ref: sourceId('bucket') },
            Events: 's3:ObjectCreated:*',
            ...(rules.length > 0 ? { Filter: { S3Key: { Rules: rules } } } : {}),
          },
        };
        break;
      }
      case 'SQS': {
        const batchSize = options.batchSize === undefined ? 10 : Number(options.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10)
          throw new InputError(
            'batchSize',
            `Batch size ${options.batchSize} is not valid here; use 1 to 10 (a larger batch needs a batching window, set in the template).`,
          );
        event = {
          Type: 'SQS',
          Properties: {
            Queue: { 'Fn::GetAtt': [sourceId('queue'), 'Arn'] },
            BatchSize: batchSize,
            ...(options.reportBatchItemFailures === true ? { FunctionResponseTypes: ['ReportBatchItemFailures'] } : {}),
          },
        };
        break;
      }
      case 'SNS':
        event = { Type: 'SNS', Properties: { Topic: { Ref: sourceId('topic') } } };
        break;
      case 'EventBridgeRule': {
        let pattern: unknown;
        try {
          pattern = JSON.parse(text('pattern') ?? '');
          checkEventPattern(pattern);
        } catch (error) {
          throw new InputError(
            'pattern',
            error instanceof EventPatternError ? error.message : `The pattern is not JSON: ${(error as Error).message}`,
          );
        }
        const bus = text('bus');
        event = { Type: 'EventBridgeRule', Properties: { ...(bus && bus !== 'default' ? { EventBusName: bus } : {}), Pattern: pattern } };
        break;
      }
      case 'Schedule': {
        const expression = (text('expression') ?? '').trim();
        try {
          parseSchedule(expression);
        } catch (error) {
          throw new InputError('expression', error instanceof ScheduleError ? error.message : String(error));
        }
        event = { Type: 'Schedule', Properties: { Schedule: expression } };
        break;
      }
      case 'HttpApi': {
        const path = (text('path') ?? '/').trim();
        if (!/^\/[A-Za-z0-9._~{}+\-/]*$/.test(path))
          throw new InputError(
            'path',
            `Path ${JSON.stringify(path)} must start with / and use letters, digits, . _ ~ - + / and {parameters}, no spaces.`,
          );
        const method = (text('method') ?? 'GET').toUpperCase();
        if (this.engine.workspace.triggers.apis.some((route) => route.path === path && route.method === method))
          throw new InputError(
            'path',
            `The route ${method} ${path} exists already; an HTTP API routes each method and path to one function.`,
          );
        event = { Type: 'HttpApi', Properties: { Path: path, Method: method } };
        break;
      }
      case 'FunctionUrl': {
        const authType = text('authType') ?? 'NONE';
        if (authType !== 'NONE' && authType !== 'AWS_IAM')
          throw new InputError('authType', `Auth type ${authType} is not valid; use NONE or AWS_IAM.`);
        const current = this.engine.findFunction(functionName)?.properties.FunctionUrlConfig as { AuthType?: unknown } | undefined;
        if (current)
          throw new InputError(
            'authType',
            `${functionName} already has a function URL (AuthType ${String(current.AuthType)}); change it in template.yaml, or remove its edge on the canvas first.`,
          );
        wiring.setFunctionUrl(functionName, { AuthType: authType });
        return 'FunctionUrlConfig';
      }
    }
    return wiring.addEvent(functionName, event, this.eventNameFor(functionName, event));
  }

  /** Names an event after the resource it reads from (InboxEvent for the queue Inbox), else after its type. */
  private eventNameFor(functionName: string, event: SamEvent): string | undefined {
    const properties = event.Properties;
    const reference = (properties.Bucket ?? properties.Queue ?? properties.Topic) as { Ref?: string; 'Fn::GetAtt'?: string[] } | undefined;
    const logicalId = reference?.Ref ?? reference?.['Fn::GetAtt']?.[0];
    if (!logicalId) return undefined;
    const existing = Object.keys((this.engine.findFunction(functionName)?.properties.Events ?? {}) as Record<string, unknown>);
    const base = `${logicalId}Event`;
    let name = base;
    for (let index = 2; existing.includes(name); index += 1) name = `${base}${index}`;
    return name;
  }

  remove(ref: WiringRef): void {
    const { wiring } = this.engine;
    if (ref.kind === 'url') wiring.setFunctionUrl(ref.functionName, undefined);
    else if (ref.kind === 'destination') wiring.setDestination(ref.functionName, ref.condition, undefined);
    else if (ref.kind === 'deadLetterQueue') wiring.setDeadLetterQueue(ref.functionName, undefined);
    else wiring.removeTrigger(ref);
  }

  /** Sets a destination or the dead-letter queue from a canvas node id (queue:Jobs, topic:Alerts, bus:default, fn:Other). */
  setDestination(functionName: string, condition: 'OnSuccess' | 'OnFailure' | 'DeadLetterQueue', target: string | null): void {
    const { engine } = this;
    const set = (arn: string | undefined): void => {
      if (condition === 'DeadLetterQueue') engine.wiring.setDeadLetterQueue(functionName, arn);
      else engine.wiring.setDestination(functionName, condition, arn);
    };
    if (target === null) {
      set(undefined);
      return;
    }
    const [kind, ...rest] = target.split(':');
    const name = rest.join(':');
    const { region, accountId } = engine.account;
    const arns: Record<string, string> = {
      queue: `arn:aws:sqs:${region}:${accountId}:${name}`,
      topic: `arn:aws:sns:${region}:${accountId}:${name}`,
      bus: `arn:aws:events:${region}:${accountId}:event-bus/${name}`,
      fn: functionArn(region, accountId, name),
    };
    const arn = arns[kind ?? ''];
    if (!arn)
      throw new InputError('target', `${target} cannot be a destination; connect the function to a queue, a topic, a bus or a function.`);
    if (kind === 'fn' && name === functionName) throw new InputError('target', 'A function cannot be its own destination.');
    if (condition === 'DeadLetterQueue' && kind !== 'queue' && kind !== 'topic')
      throw new InputError('target', `${target} cannot be a dead-letter queue; connect the function to an SQS queue or an SNS topic.`);
    set(arn);
  }

  addResource(type: 'bucket' | 'queue' | 'topic' | 'bus', name: string): string {
    if (type === 'bus' && name === 'default')
      throw new InputError('name', 'Every account has a default event bus already; give a custom bus another name.');
    const types = { bucket: 'AWS::S3::Bucket', queue: 'AWS::SQS::Queue', topic: 'AWS::SNS::Topic', bus: 'AWS::Events::EventBus' } as const;
    return this.engine.wiring.addResource(types[type], name, type === 'bus' ? { Name: name } : {});
  }
}
