import { createHash } from 'node:crypto';
import type { TemplateProblem } from '../errors.js';
import type { FunctionConfig } from '../template/function-config.js';
import { physicalId, type IntrinsicResolver, type StackContext } from '../template/intrinsics.js';
import { checkEventPattern, EventPatternError } from './event-pattern.js';
import { parseSchedule, ScheduleError } from './schedule.js';

/**
 * The event sources of a workspace and what they invoke, read from the template as SAM and
 * CloudFormation write them: function Events (S3, SQS, SNS, EventBridgeRule, Schedule,
 * ScheduleV2, Api, HttpApi), FunctionUrlConfig, and the resources that wire the same things
 * (bucket notifications, event source mappings, subscriptions, rules, function URLs, load
 * balancer listeners and target groups).
 */
export interface TriggerSet {
  buckets: BucketConfig[];
  queues: QueueConfig[];
  queueMappings: QueueMapping[];
  topics: TopicConfig[];
  buses: string[];
  rules: RuleConfig[];
  urls: FunctionUrlConfig[];
  apis: ApiRoute[];
  listeners: ListenerConfig[];
}

/** Where a trigger is written in the template: a function's event, or a resource of its own. */
export type TriggerSource = { kind: 'event'; functionLogicalId: string; eventName: string } | { kind: 'resource'; logicalId: string };

export interface BucketConfig {
  logicalId: string;
  name: string;
  notifications: BucketNotification[];
}

export interface BucketNotification {
  id: string;
  functionName: string;
  /** s3:ObjectCreated:*, s3:ObjectRemoved:Delete... */
  events: string[];
  prefix?: string;
  suffix?: string;
  source: TriggerSource;
}

export interface QueueConfig {
  logicalId: string;
  name: string;
  arn: string;
  fifo: boolean;
  /** FIFO queues: a message without a deduplication id is deduplicated by its body's SHA-256. */
  contentBasedDeduplication: boolean;
  visibilityTimeoutSeconds: number;
  redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

export interface QueueMapping {
  /** Stable for the same function, queue and source, so the API can name the mapping. */
  uuid: string;
  functionName: string;
  queue: string;
  queueArn: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  enabled: boolean;
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  filters: Array<Record<string, unknown>>;
  source: TriggerSource;
}

export interface TopicConfig {
  logicalId: string;
  name: string;
  arn: string;
  subscriptions: Array<{
    functionName: string;
    filterPolicy?: Record<string, unknown>;
    filterPolicyScope: 'MessageAttributes' | 'MessageBody';
    source: TriggerSource;
  }>;
}

export interface RuleTarget {
  functionName: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: { inputPathsMap?: Record<string, string>; inputTemplate: string };
}

export interface RuleConfig {
  name: string;
  arn: string;
  bus: string;
  pattern?: Record<string, unknown>;
  schedule?: string;
  enabled: boolean;
  targets: RuleTarget[];
  source: TriggerSource;
}

export interface FunctionUrlConfig {
  functionName: string;
  authType: 'NONE' | 'AWS_IAM';
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  cors?: {
    allowOrigins: string[];
    allowMethods: string[];
    allowHeaders: string[];
    exposeHeaders: string[];
    maxAge?: number;
    allowCredentials: boolean;
  };
  source: TriggerSource;
}

export interface ApiRoute {
  functionName: string;
  /** GET, POST, ... or ANY. */
  method: string;
  /** /orders/{id}; undefined for an HttpApi event without Path, which takes every request. */
  path: string | undefined;
  payloadVersion: '1.0' | '2.0';
  kind: 'Api' | 'HttpApi';
  source: TriggerSource;
}

export interface ListenerConfig {
  logicalId: string;
  arn: string;
  port: number;
  rules: Array<{ priority: number; paths: string[]; hosts: string[]; targetGroup: TargetGroupConfig }>;
  defaultTarget?: TargetGroupConfig;
}

export interface TargetGroupConfig {
  logicalId: string;
  arn: string;
  functionName: string;
  multiValueHeaders: boolean;
}

type Resources = Record<string, Record<string, unknown>>;

/** SQS event source mappings take at most this many messages per batch without a batching window. */
const UNWINDOWED_BATCH = 10;

export function readTriggers(
  resources: Resources,
  functions: FunctionConfig[],
  resolver: IntrinsicResolver,
  stack: StackContext,
  problems: TemplateProblem[],
): TriggerSet {
  const set: TriggerSet = {
    buckets: [],
    queues: [],
    queueMappings: [],
    topics: [],
    buses: ['default'],
    rules: [],
    urls: [],
    apis: [],
    listeners: [],
  };
  const resolved = (logicalId: string): Record<string, unknown> =>
    asMap(resolver.resolve(resources[logicalId]?.Properties ?? {}, `${logicalId}.Properties`));
  const functionByArn = (arn: unknown): FunctionConfig | undefined => {
    if (typeof arn !== 'string') return undefined;
    const name = arn.startsWith('arn:') ? arn.split(':')[6] : arn;
    return functions.find((fn) => fn.name === name || fn.logicalId === name);
  };
  const queueName = (arnOrUrl: unknown): string | undefined => (typeof arnOrUrl === 'string' ? arnOrUrl.split(/[:/]/).at(-1) : undefined);
  const report = (resource: string, path: string, message: string): void => {
    problems.push({ resource, path, message });
  };

  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = resource?.Type;
    if (type === 'AWS::SQS::Queue') {
      const properties = resolved(logicalId);
      const name = queueName(physicalId(logicalId, { Type: type, Properties: properties }, stack))!;
      const redrivePolicy = asMap(
        typeof properties.RedrivePolicy === 'string' ? safeJson(properties.RedrivePolicy) : properties.RedrivePolicy,
      );
      const deadLetter = queueName(redrivePolicy.deadLetterTargetArn);
      set.queues.push({
        logicalId,
        name,
        arn: `arn:aws:sqs:${stack.region}:${stack.accountId}:${name}`,
        fifo: properties.FifoQueue === true || properties.FifoQueue === 'true' || name.endsWith('.fifo'),
        contentBasedDeduplication: properties.ContentBasedDeduplication === true || properties.ContentBasedDeduplication === 'true',
        visibilityTimeoutSeconds: numberOr(properties.VisibilityTimeout, 30),
        ...(deadLetter ? { redrive: { deadLetterQueue: deadLetter, maxReceiveCount: numberOr(redrivePolicy.maxReceiveCount, 10) } } : {}),
      });
    } else if (type === 'AWS::SNS::Topic') {
      const properties = resolved(logicalId);
      const arn = physicalId(logicalId, { Type: type, Properties: properties }, stack);
      const topic: TopicConfig = { logicalId, name: arn.split(':').at(-1)!, arn, subscriptions: [] };
      for (const subscription of asList(properties.Subscription)) {
        const entry = asMap(subscription);
        const fn = entry.Protocol === 'lambda' ? functionByArn(entry.Endpoint) : undefined;
        if (fn)
          topic.subscriptions.push({
            functionName: fn.name,
            filterPolicyScope: 'MessageAttributes',
            source: { kind: 'resource', logicalId },
          });
      }
      set.topics.push(topic);
    } else if (type === 'AWS::Events::EventBus') {
      set.buses.push(physicalId(logicalId, { Type: type, Properties: resolved(logicalId) }, stack));
    } else if (type === 'AWS::S3::Bucket') {
      const properties = resolved(logicalId);
      const bucket: BucketConfig = {
        logicalId,
        name: physicalId(logicalId, { Type: type, Properties: properties }, stack),
        notifications: [],
      };
      asList(asMap(properties.NotificationConfiguration).LambdaConfigurations).forEach((entry, index) => {
        const configuration = asMap(entry);
        const fn = functionByArn(configuration.Function);
        if (!fn) return;
        bucket.notifications.push({
          id: `${logicalId}-${index + 1}`,
          functionName: fn.name,
          events: [String(configuration.Event ?? 's3:ObjectCreated:*')],
          ...keyFilter(configuration.Filter),
          source: { kind: 'resource', logicalId },
        });
      });
      set.buckets.push(bucket);
    }
  }

  // Function events: the SAM way of wiring.
  for (const fn of functions) {
    const events = asMap(fn.properties.Events);
    for (const [eventName, raw] of Object.entries(events)) {
      const event = asMap(raw);
      const properties = asMap(event.Properties);
      const source: TriggerSource = { kind: 'event', functionLogicalId: fn.logicalId, eventName };
      const where = `Properties.Events.${eventName}.Properties`;
      switch (event.Type) {
        case 'S3': {
          const bucket = set.buckets.find((candidate) => candidate.name === properties.Bucket || candidate.logicalId === properties.Bucket);
          if (!bucket) {
            report(
              fn.logicalId,
              `${where}.Bucket`,
              `${JSON.stringify(properties.Bucket)} is not an AWS::S3::Bucket of this template; an S3 event needs one (use !Ref).`,
            );
            break;
          }
          const kinds = asList(properties.Events).map(String);
          bucket.notifications.push({
            id: `${fn.logicalId}${eventName}`,
            functionName: fn.name,
            events: kinds.length > 0 ? kinds : ['s3:ObjectCreated:*'],
            ...keyFilter(properties.Filter),
            source,
          });
          break;
        }
        case 'SQS':
          set.queueMappings.push(readQueueMapping(fn, properties, source, `${where}`, report, stack));
          break;
        case 'SNS': {
          const arn = typeof properties.Topic === 'string' ? properties.Topic : '';
          let topic = set.topics.find((candidate) => candidate.arn === arn);
          if (!topic && arn.startsWith('arn:aws:sns:')) {
            topic = { logicalId: '', name: arn.split(':').at(-1)!, arn, subscriptions: [] };
            set.topics.push(topic);
          }
          if (!topic) {
            report(fn.logicalId, `${where}.Topic`, `${JSON.stringify(properties.Topic)} is not an SNS topic ARN.`);
            break;
          }
          const filterPolicy = properties.FilterPolicy === undefined ? undefined : asMap(properties.FilterPolicy);
          topic.subscriptions.push({
            functionName: fn.name,
            ...(filterPolicy ? { filterPolicy } : {}),
            filterPolicyScope: properties.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
            source,
          });
          break;
        }
        case 'EventBridgeRule':
        case 'CloudWatchEvent': {
          const name = typeof properties.RuleName === 'string' ? properties.RuleName : `${fn.logicalId}${eventName}`;
          const bus = typeof properties.EventBusName === 'string' ? properties.EventBusName.split('/').at(-1)! : 'default';
          const pattern = asMap(properties.Pattern);
          try {
            checkEventPattern(pattern, `${where}.Pattern`);
          } catch (error) {
            if (error instanceof EventPatternError) report(fn.logicalId, `${where}.Pattern`, error.message);
            break;
          }
          set.rules.push({
            name,
            arn: ruleArn(stack, bus, name),
            bus,
            pattern,
            enabled: properties.State !== 'DISABLED' && properties.Enabled !== false,
            targets: [{ functionName: fn.name, ...targetInputOf(properties) }],
            source,
          });
          break;
        }
        case 'Schedule':
        case 'ScheduleV2': {
          const expression = String(event.Type === 'Schedule' ? properties.Schedule : properties.ScheduleExpression);
          try {
            parseSchedule(expression);
          } catch (error) {
            if (error instanceof ScheduleError)
              report(fn.logicalId, `${where}.${event.Type === 'Schedule' ? 'Schedule' : 'ScheduleExpression'}`, error.message);
            break;
          }
          const name = typeof properties.Name === 'string' ? properties.Name : `${fn.logicalId}${eventName}`;
          set.rules.push({
            name,
            arn: ruleArn(stack, 'default', name),
            bus: 'default',
            schedule: expression,
            enabled: properties.Enabled !== false && properties.State !== 'DISABLED',
            targets: [{ functionName: fn.name, ...targetInputOf(properties) }],
            source,
          });
          break;
        }
        case 'Api':
        case 'HttpApi': {
          const method = typeof properties.Method === 'string' ? properties.Method.toUpperCase().replace('*', 'ANY') : 'ANY';
          const path = typeof properties.Path === 'string' ? properties.Path : undefined;
          if (event.Type === 'Api' && !path) {
            report(fn.logicalId, `${where}.Path`, 'is missing; an Api event needs a Path such as /orders.');
            break;
          }
          const version = event.Type === 'Api' ? '1.0' : properties.PayloadFormatVersion === '1.0' ? '1.0' : '2.0';
          set.apis.push({ functionName: fn.name, method, path, payloadVersion: version, kind: event.Type, source });
          break;
        }
        default:
          break;
      }
    }
    const url = fn.properties.FunctionUrlConfig;
    if (url !== undefined) {
      const config = readUrlConfig(fn.name, asMap(url), { kind: 'event', functionLogicalId: fn.logicalId, eventName: 'FunctionUrlConfig' });
      if (typeof config === 'string') report(fn.logicalId, 'Properties.FunctionUrlConfig.AuthType', config);
      else set.urls.push(config);
    }
  }

  // Resources that wire functions the CloudFormation way.
  const targetGroups = new Map<string, TargetGroupConfig>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = resource?.Type;
    if (type === 'AWS::Lambda::EventSourceMapping') {
      const properties = resolved(logicalId);
      const fn = functionByArn(properties.FunctionName);
      if (fn && typeof properties.EventSourceArn === 'string' && properties.EventSourceArn.startsWith('arn:aws:sqs:')) {
        set.queueMappings.push(
          readQueueMapping(
            fn,
            { ...properties, Queue: properties.EventSourceArn },
            { kind: 'resource', logicalId },
            'Properties',
            report,
            stack,
          ),
        );
      }
    } else if (type === 'AWS::SNS::Subscription') {
      const properties = resolved(logicalId);
      const fn = properties.Protocol === 'lambda' ? functionByArn(properties.Endpoint) : undefined;
      const topic = set.topics.find((candidate) => candidate.arn === properties.TopicArn);
      if (fn && topic) {
        const filterPolicy =
          properties.FilterPolicy === undefined
            ? undefined
            : asMap(typeof properties.FilterPolicy === 'string' ? safeJson(properties.FilterPolicy) : properties.FilterPolicy);
        topic.subscriptions.push({
          functionName: fn.name,
          ...(filterPolicy ? { filterPolicy } : {}),
          filterPolicyScope: properties.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes',
          source: { kind: 'resource', logicalId },
        });
      }
    } else if (type === 'AWS::Events::Rule') {
      const properties = resolved(logicalId);
      const name = physicalId(logicalId, { Type: type, Properties: properties }, stack);
      const bus = typeof properties.EventBusName === 'string' ? properties.EventBusName.split('/').at(-1)! : 'default';
      const targets = asList(properties.Targets).flatMap((entry) => {
        const target = asMap(entry);
        const fn = functionByArn(target.Arn);
        return fn ? [{ functionName: fn.name, ...targetInputOf(target) }] : [];
      });
      const pattern =
        properties.EventPattern === undefined
          ? undefined
          : asMap(typeof properties.EventPattern === 'string' ? safeJson(properties.EventPattern) : properties.EventPattern);
      if (pattern) {
        try {
          checkEventPattern(pattern);
        } catch (error) {
          if (error instanceof EventPatternError) report(logicalId, 'Properties.EventPattern', error.message);
          continue;
        }
      }
      const schedule = typeof properties.ScheduleExpression === 'string' ? properties.ScheduleExpression : undefined;
      if (schedule) {
        try {
          parseSchedule(schedule);
        } catch (error) {
          if (error instanceof ScheduleError) report(logicalId, 'Properties.ScheduleExpression', error.message);
          continue;
        }
      }
      set.rules.push({
        name,
        arn: ruleArn(stack, bus, name),
        bus,
        ...(pattern ? { pattern } : {}),
        ...(schedule ? { schedule } : {}),
        enabled: properties.State !== 'DISABLED',
        targets,
        source: { kind: 'resource', logicalId },
      });
    } else if (type === 'AWS::Lambda::Url') {
      const properties = resolved(logicalId);
      const fn = functionByArn(properties.TargetFunctionArn);
      if (!fn) continue;
      const config = readUrlConfig(fn.name, properties, { kind: 'resource', logicalId });
      if (typeof config === 'string') report(logicalId, 'Properties.AuthType', config);
      else set.urls.push(config);
    } else if (type === 'AWS::ElasticLoadBalancingV2::TargetGroup') {
      const properties = resolved(logicalId);
      if (properties.TargetType !== 'lambda') continue;
      const fn = functionByArn(asMap(asList(properties.Targets)[0]).Id);
      if (!fn) continue;
      const multiValue = asList(properties.TargetGroupAttributes).some((entry) => {
        const attribute = asMap(entry);
        return attribute.Key === 'lambda.multi_value_headers.enabled' && String(attribute.Value) === 'true';
      });
      const arn = physicalId(logicalId, { Type: type, Properties: properties }, stack);
      targetGroups.set(arn, { logicalId, arn, functionName: fn.name, multiValueHeaders: multiValue });
    }
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource?.Type !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
    const properties = resolved(logicalId);
    const arn = physicalId(logicalId, { Type: resource.Type, Properties: properties }, stack);
    const forward = (actions: unknown): TargetGroupConfig | undefined => {
      const action = asList(actions)
        .map(asMap)
        .find((entry) => entry.Type === 'forward');
      return action
        ? targetGroups.get(String(action.TargetGroupArn ?? asMap(asList(asMap(action.ForwardConfig).TargetGroups)[0]).TargetGroupArn))
        : undefined;
    };
    const listener: ListenerConfig = { logicalId, arn, port: numberOr(properties.Port, 80), rules: [] };
    const defaultTarget = forward(properties.DefaultActions);
    if (defaultTarget) listener.defaultTarget = defaultTarget;
    for (const [ruleId, rule] of Object.entries(resources)) {
      if (rule?.Type !== 'AWS::ElasticLoadBalancingV2::ListenerRule') continue;
      const ruleProperties = resolved(ruleId);
      if (ruleProperties.ListenerArn !== arn) continue;
      const targetGroup = forward(ruleProperties.Actions);
      if (!targetGroup) continue;
      const conditions = asList(ruleProperties.Conditions).map(asMap);
      const values = (field: string, config: string): string[] =>
        conditions
          .filter((condition) => condition.Field === field)
          .flatMap((condition) => asList(asMap(condition[config]).Values ?? condition.Values).map(String));
      listener.rules.push({
        priority: numberOr(ruleProperties.Priority, 50_000),
        paths: values('path-pattern', 'PathPatternConfig'),
        hosts: values('host-header', 'HostHeaderConfig'),
        targetGroup,
      });
    }
    listener.rules.sort((a, b) => a.priority - b.priority);
    if (listener.defaultTarget || listener.rules.length > 0) set.listeners.push(listener);
  }
  return set;
}

function readQueueMapping(
  fn: FunctionConfig,
  properties: Record<string, unknown>,
  source: TriggerSource,
  where: string,
  report: (resource: string, path: string, message: string) => void,
  stack: StackContext,
): QueueMapping {
  const queueArn = String(properties.Queue ?? '');
  const queue = queueArn.split(/[:/]/).at(-1) ?? queueArn;
  const resource = source.kind === 'event' ? source.functionLogicalId : source.logicalId;
  const batchSize = numberOr(properties.BatchSize, 10);
  const window = numberOr(properties.MaximumBatchingWindowInSeconds, 0);
  const fifo = queue.endsWith('.fifo');
  if (!queueArn.startsWith('arn:aws:sqs:'))
    report(resource, `${where}.Queue`, `${JSON.stringify(properties.Queue)} is not an SQS queue ARN; use !GetAtt MyQueue.Arn.`);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > (fifo ? 10 : 10_000)) {
    report(resource, `${where}.BatchSize`, `${batchSize} is not valid; use 1 to ${fifo ? 10 : 10_000}${fifo ? ' for a FIFO queue' : ''}.`);
  } else if (batchSize > UNWINDOWED_BATCH && window < 1) {
    report(
      resource,
      `${where}.MaximumBatchingWindowInSeconds`,
      `must be at least 1 when BatchSize (${batchSize}) is over ${UNWINDOWED_BATCH}, as Lambda requires.`,
    );
  }
  if (!Number.isInteger(window) || window < 0 || window > 300)
    report(resource, `${where}.MaximumBatchingWindowInSeconds`, `${window} is not valid; use 0 to 300.`);
  const scaling = asMap(properties.ScalingConfig).MaximumConcurrency;
  const filters = asList(asMap(properties.FilterCriteria).Filters).flatMap((entry) => {
    const pattern = asMap(entry).Pattern;
    const parsed = typeof pattern === 'string' ? safeJson(pattern) : pattern;
    return parsed && typeof parsed === 'object' ? [parsed as Record<string, unknown>] : [];
  });
  return {
    uuid: stableUuid(`${stack.accountId}/${fn.name}/${queue}/${JSON.stringify(source)}`),
    functionName: fn.name,
    queue,
    queueArn,
    batchSize,
    maximumBatchingWindowSeconds: window,
    enabled: properties.Enabled !== false && properties.Enabled !== 'false',
    reportBatchItemFailures: asList(properties.FunctionResponseTypes).includes('ReportBatchItemFailures'),
    ...(typeof scaling === 'number' ? { maximumConcurrency: scaling } : {}),
    filters,
    source,
  };
}

function readUrlConfig(functionName: string, properties: Record<string, unknown>, source: TriggerSource): FunctionUrlConfig | string {
  const authType = properties.AuthType;
  if (authType !== 'NONE' && authType !== 'AWS_IAM') return `${JSON.stringify(authType)} is not valid; use NONE or AWS_IAM.`;
  const cors = properties.Cors === undefined ? undefined : asMap(properties.Cors);
  const strings = (value: unknown): string[] => asList(value).map(String);
  return {
    functionName,
    authType,
    invokeMode: properties.InvokeMode === 'RESPONSE_STREAM' ? 'RESPONSE_STREAM' : 'BUFFERED',
    ...(cors
      ? {
          cors: {
            allowOrigins: strings(cors.AllowOrigins),
            allowMethods: strings(cors.AllowMethods),
            allowHeaders: strings(cors.AllowHeaders),
            exposeHeaders: strings(cors.ExposeHeaders),
            ...(typeof cors.MaxAge === 'number' ? { maxAge: cors.MaxAge } : {}),
            allowCredentials: cors.AllowCredentials === true,
          },
        }
      : {}),
    source,
  };
}

function targetInputOf(properties: Record<string, unknown>): Omit<RuleTarget, 'functionName'> {
  const transformer = asMap(properties.InputTransformer);
  return {
    ...(typeof properties.Input === 'string' ? { input: properties.Input } : {}),
    ...(typeof properties.InputPath === 'string' ? { inputPath: properties.InputPath } : {}),
    ...(typeof transformer.InputTemplate === 'string'
      ? {
          inputTransformer: {
            inputTemplate: transformer.InputTemplate,
            ...(transformer.InputPathsMap ? { inputPathsMap: asMap(transformer.InputPathsMap) as Record<string, string> } : {}),
          },
        }
      : {}),
  };
}

function keyFilter(filter: unknown): { prefix?: string; suffix?: string } {
  const rules = asList(asMap(asMap(filter).S3Key).Rules).map(asMap);
  const value = (name: string): string | undefined => {
    const rule = rules.find((entry) => String(entry.Name).toLowerCase() === name);
    return typeof rule?.Value === 'string' ? rule.Value : undefined;
  };
  const prefix = value('prefix');
  const suffix = value('suffix');
  return { ...(prefix !== undefined ? { prefix } : {}), ...(suffix !== undefined ? { suffix } : {}) };
}

function ruleArn(stack: StackContext, bus: string, name: string): string {
  return `arn:aws:events:${stack.region}:${stack.accountId}:rule/${bus === 'default' ? '' : `${bus}/`}${name}`;
}

/** A UUID-shaped id derived from text, stable across restarts. */
export function stableUuid(text: string): string {
  let hash = 0x811c9dc5;
  const bytes: number[] = [];
  for (let round = 0; round < 16; round += 1) {
    for (const character of `${round}:${text}`) hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
    bytes.push(hash & 0xff);
  }
  const hex = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function asMap(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function numberOr(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Returns the group and deduplication ids of a message sent to a queue, checked as SQS SendMessage
 * checks them. A FIFO queue needs a group id, and a deduplication id unless it deduplicates by
 * content, in which case the body's SHA-256 is used. A standard queue takes neither.
 */
export function fifoSendOptions(
  queue: QueueSettings,
  body: string,
  given: { groupId?: string | undefined; deduplicationId?: string | undefined },
): { groupId?: string; deduplicationId?: string } {
  if (!queue.fifo) {
    if (given.groupId || given.deduplicationId)
      throw new Error(`Queue ${queue.name} is a standard queue; a message group id and a deduplication id are for FIFO queues only.`);
    return {};
  }
  if (!given.groupId) throw new Error(`Queue ${queue.name} is a FIFO queue: give a message group id.`);
  const deduplicationId =
    given.deduplicationId ?? (queue.contentBasedDeduplication ? createHash('sha256').update(body).digest('hex') : undefined);
  if (!deduplicationId)
    throw new Error(
      `Queue ${queue.name} should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.`,
    );
  return { groupId: given.groupId, deduplicationId };
}

/** The settings of a queue that sending needs. */
export type QueueSettings = Pick<QueueConfig, 'name' | 'fifo' | 'contentBasedDeduplication'>;

/**
 * Returns a queue's settings from the template, or, for a queue that only a destination names,
 * the settings its name implies (.fifo makes it FIFO).
 */
export function queueSettings(name: string, queues: readonly QueueConfig[]): QueueSettings {
  return queues.find((queue) => queue.name === name) ?? { name, fifo: name.endsWith('.fifo'), contentBasedDeduplication: false };
}
