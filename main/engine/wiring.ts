import { InputError, WorkbenchError } from '../core/errors.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { PropertyEdit } from '../core/template/editor.js';
import type { QueueMapping, TriggerSource } from '../core/triggers/trigger-config.js';
import type { LambdaEngine } from './engine.js';

/** The kinds of resources the canvas and the API create as event sources or destinations. */
export type SourceResourceType = 'AWS::S3::Bucket' | 'AWS::SQS::Queue' | 'AWS::SNS::Topic' | 'AWS::Events::EventBus';

/** A SAM event: its Type and Properties, as written under a function's Events. */
export interface SamEvent {
  Type: string;
  Properties: Record<string, unknown>;
}

const EVENT_PREFIX: Readonly<Record<string, string>> = {
  S3: 'Upload',
  SQS: 'Queue',
  SNS: 'Topic',
  EventBridgeRule: 'Rule',
  Schedule: 'Schedule',
  Api: 'Api',
  HttpApi: 'HttpApi',
};

/**
 * Wires event sources and destinations in template.yaml as SAM writes them: Events on functions,
 * FunctionUrlConfig, EventInvokeConfig destinations, and the queues, buckets, topics and buses
 * they name. The canvas, the console and the control-plane API all change wiring through here.
 */
export class Wiring {
  constructor(private readonly engine: LambdaEngine) {}

  /** Adds an event to a function and returns the event's name (given, or derived from its type). */
  addEvent(functionName: string, event: SamEvent, eventName?: string): string {
    const fn = this.function(functionName);
    const existing = Object.keys((fn.properties.Events ?? {}) as Record<string, unknown>);
    const name = eventName ?? this.freeEventName(fn, event, existing);
    if (!/^[A-Za-z0-9]+$/.test(name))
      throw new InputError('eventName', `Event name ${JSON.stringify(name)} must be letters and digits only.`);
    if (existing.includes(name)) throw new WorkbenchError('ResourceConflict', 'caller', `${fn.name} already has an event named ${name}.`);
    this.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['Events', name], value: event }]);
    return name;
  }

  updateEventProperties(source: TriggerSource, properties: Record<string, unknown>): void {
    const edits: PropertyEdit[] = Object.entries(properties).map(([key, value]) =>
      source.kind === 'event'
        ? { logicalId: source.functionLogicalId, path: ['Events', source.eventName, 'Properties', key], value }
        : { logicalId: source.logicalId, path: [key], value },
    );
    if (edits.length > 0) this.engine.workspaceService.edit(edits);
  }

  /** Removes a trigger: a function's event, or a resource that wires it (an event source mapping, a rule). */
  removeTrigger(source: TriggerSource): void {
    if (source.kind === 'event')
      this.engine.workspaceService.edit([{ logicalId: source.functionLogicalId, path: ['Events', source.eventName], value: undefined }]);
    else this.engine.workspaceService.removeResource(source.logicalId);
  }

  setFunctionUrl(functionName: string, config: Record<string, unknown> | undefined): void {
    const fn = this.function(functionName);
    this.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['FunctionUrlConfig'], value: config }]);
  }

  /**
   * Sets or clears (arn undefined) a destination of asynchronous invocations, written as SAM's
   * EventInvokeConfig.DestinationConfig with a reference to the template's own resource.
   */
  setDestination(functionName: string, condition: 'OnSuccess' | 'OnFailure', arn: string | undefined): void {
    const fn = this.function(functionName);
    if (arn === undefined) {
      this.engine.workspaceService.edit([
        { logicalId: fn.logicalId, path: ['EventInvokeConfig', 'DestinationConfig', condition], value: undefined },
      ]);
      return;
    }
    const kind = arn.split(':')[2];
    const type = { sqs: 'SQS', sns: 'SNS', events: 'EventBridge', lambda: 'Lambda' }[kind ?? ''];
    if (!type) throw new InputError('destination', `${arn} cannot be a destination; use a queue, a topic, an event bus or a function.`);
    this.engine.workspaceService.edit([
      {
        logicalId: fn.logicalId,
        path: ['EventInvokeConfig', 'DestinationConfig', condition],
        value: { Type: type, Destination: this.referenceTo(arn) },
      },
    ]);
  }

  /**
   * Sets or clears (arn undefined) a function's dead-letter queue, written as SAM's DeadLetterQueue:
   * an SQS queue or an SNS topic, which receives the events whose retries ran out.
   */
  setDeadLetterQueue(functionName: string, arn: string | undefined): void {
    const fn = this.function(functionName);
    if (arn === undefined) {
      this.engine.workspaceService.edit([{ logicalId: fn.logicalId, path: ['DeadLetterQueue'], value: undefined }]);
      return;
    }
    const type = { sqs: 'SQS', sns: 'SNS' }[arn.split(':')[2] ?? ''];
    if (!type) throw new InputError('target', `${arn} cannot be a dead-letter queue; use an SQS queue or an SNS topic.`);
    this.engine.workspaceService.edit([
      { logicalId: fn.logicalId, path: ['DeadLetterQueue'], value: { Type: type, TargetArn: this.referenceTo(arn) } },
    ]);
  }

  /** Adds a bucket, queue, topic or event bus to the template and returns its logical id. */
  addResource(type: SourceResourceType, logicalId: string, properties: Record<string, unknown> = {}): string {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(logicalId)) {
      throw new InputError(
        'logicalId',
        `${JSON.stringify(logicalId)} cannot be a logical id: use letters and digits, starting with a letter.`,
      );
    }
    this.engine.workspaceService.addResource(
      logicalId,
      Object.keys(properties).length > 0 ? { Type: type, Properties: properties } : { Type: type },
    );
    return logicalId;
  }

  /** Finds the mapping an API caller names by its UUID. */
  mapping(uuid: string): QueueMapping {
    const mapping = this.engine.workspace.triggers.queueMappings.find((candidate) => candidate.uuid === uuid);
    if (!mapping)
      throw new WorkbenchError(
        'FunctionNotFound',
        'caller',
        `The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${uuid})`,
      );
    return mapping;
  }

  /**
   * Refers to a resource of the template the way SAM templates do: !GetAtt Queue.Arn for queues and
   * functions, !Ref for topics and buses (whose Ref is their ARN or name); anything else stays as given.
   */
  referenceTo(arn: string): unknown {
    const { triggers } = this.engine.workspace;
    const queue = triggers.queues.find((candidate) => candidate.arn === arn);
    if (queue) return { 'Fn::GetAtt': [queue.logicalId, 'Arn'] };
    const topic = triggers.topics.find((candidate) => candidate.arn === arn && candidate.logicalId);
    if (topic) return { Ref: topic.logicalId };
    const fn = this.engine
      .functions()
      .find(
        (candidate) => arn === `arn:aws:lambda:${this.engine.account.region}:${this.engine.account.accountId}:function:${candidate.name}`,
      );
    if (fn) return { 'Fn::GetAtt': [fn.logicalId, 'Arn'] };
    const busResource = this.busLogicalId(arn.split('/').at(-1) ?? '');
    if (arn.includes(':event-bus/') && busResource) return { 'Fn::GetAtt': [busResource, 'Arn'] };
    return arn;
  }

  private busLogicalId(name: string): string | undefined {
    const resources =
      (this.engine.workspace.document.toJS() as { Resources?: Record<string, { Type?: string; Properties?: { Name?: string } }> })
        .Resources ?? {};
    return Object.entries(resources).find(
      ([id, resource]) => resource.Type === 'AWS::Events::EventBus' && (resource.Properties?.Name ?? id) === name,
    )?.[0];
  }

  private freeEventName(fn: FunctionConfig, event: SamEvent, existing: string[]): string {
    const base = EVENT_PREFIX[event.Type] ?? event.Type.replace(/[^A-Za-z0-9]/g, '');
    let name = base;
    for (let index = 2; existing.includes(name); index += 1) name = `${base}${index}`;
    return name;
  }

  private function(name: string): FunctionConfig {
    const fn = this.engine.findFunction(name);
    if (!fn) throw new WorkbenchError('FunctionNotFound', 'caller', `Function not found: ${name}`);
    return fn;
  }
}
