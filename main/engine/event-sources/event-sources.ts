import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { errorMessage } from '../../core/errors.js';
import { eventBridgeEvent, s3Event, type BusEntry } from '../../core/triggers/event-shapes.js';
import { fifoSendOptions, queueSettings, type TriggerSet } from '../../core/triggers/trigger-config.js';
import type { Logger } from '../../logging.js';
import type { MessageAttributes } from '../../store/messaging-store.js';
import type { LambdaEngine } from '../engine.js';
import { BucketFolders, type ObjectChange } from './buckets.js';
import { Dispatch } from './dispatch.js';
import { HttpFrontEnds, type Endpoint } from './http-frontends.js';
import { QueuePollers } from './queue-pollers.js';

/** One event handed from a source to a function, for the canvas's counters and animations. */
export interface Delivery {
  kind: 's3' | 'sqs' | 'sns' | 'eventbridge' | 'schedule' | 'url' | 'alb' | 'api';
  /** The bucket, queue, topic, rule, listener or route it came from. */
  source: string;
  functionName: string;
  count: number;
  at: number;
}

export interface EventSourceEvents {
  delivered: [Delivery];
}

/**
 * The workspace's event sources, running: S3 bucket folders, SQS event source mappings, SNS
 * subscriptions, EventBridge rules and schedules, and the HTTP front ends. It follows the
 * template: `apply` is called again whenever the workspace changes.
 */
export class EventSources extends EventEmitter<EventSourceEvents> {
  readonly buckets: BucketFolders;
  private readonly pollers: QueuePollers;
  private readonly dispatch: Dispatch;
  private readonly frontEnds: HttpFrontEnds;
  private triggers: TriggerSet | undefined;
  private readonly logger: Logger;
  private readonly apiPort: number | undefined;

  constructor(
    private readonly engine: LambdaEngine,
    options: { dataDir: string; workspaceKey: string; logger: Logger; apiPort?: number },
  ) {
    super();
    const { logger } = options;
    this.logger = logger;
    this.apiPort = options.apiPort;
    const account = { region: engine.account.region, accountId: engine.account.accountId };
    const deliver = (kind: Delivery['kind'], source: string, functionName: string, count = 1): void => {
      this.emit('delivered', { kind, source, functionName, count, at: Date.now() });
    };
    const invokeAsync = (functionName: string, payload: Buffer): void => {
      try {
        engine.acceptAsync(functionName, payload);
      } catch (error) {
        logger.warn(`Could not queue an event for ${functionName}: ${errorMessage(error)}`);
      }
    };
    const invokeSync = (functionName: string, payload: Buffer) => engine.invoke(functionName, { requestId: randomUUID(), payload });

    this.buckets = new BucketFolders(
      path.join(options.dataDir, 'buckets'),
      (change) => this.onObjectChange(change, invokeAsync, deliver),
      logger,
    );
    this.pollers = new QueuePollers({
      messaging: engine.messaging,
      invoke: invokeSync,
      reservedConcurrency: (name) => engine.tracker.reservedFor(name),
      account,
      timeScale: engine.timeScale,
      logger,
      onBatch: (mapping, size) => deliver('sqs', mapping.queue, mapping.functionName, size),
    });
    this.dispatch = new Dispatch({
      messaging: engine.messaging,
      invokeAsync,
      account,
      timeScale: engine.timeScale,
      logger,
      onDelivery: deliver,
    });
    this.frontEnds = new HttpFrontEnds({
      invoke: invokeSync,
      account: { ...account, credentials: engine.account.credentials },
      workspaceKey: options.workspaceKey,
      logger,
      onDelivery: deliver,
    });
  }

  /** Starts, changes or stops sources so that they match the template's triggers. */
  async apply(triggers: TriggerSet): Promise<void> {
    this.triggers = triggers;
    this.buckets.sync(triggers.buckets.map((bucket) => bucket.name));
    for (const queue of triggers.queues) this.engine.messaging.ensureQueue(queue.name);
    this.pollers.sync(triggers.queueMappings, triggers.queues);
    this.dispatch.sync(triggers.topics, triggers.rules, triggers.buses);
    await this.frontEnds.sync(triggers.urls, triggers.listeners, triggers.apis, this.apiPort);
  }

  endpoints(): Endpoint[] {
    return this.frontEnds.endpoints();
  }

  // ---- actions of the console and the API ----

  sendMessage(
    queue: string,
    body: string,
    attributes: MessageAttributes = {},
    fifo: { groupId?: string; deduplicationId?: string } = {},
  ): string {
    const config = queueSettings(queue, this.triggers?.queues ?? []);
    const id = this.engine.messaging.sendMessage(queue, body, attributes, Date.now(), fifoSendOptions(config, body, fifo));
    this.pollers.wake();
    return id;
  }

  publish(topic: string, message: string, subject?: string, attributes: MessageAttributes = {}): string {
    const id = this.engine.messaging.publish(topic, message, subject, attributes);
    this.dispatch.wake();
    return id;
  }

  putEvents(bus: string, entries: BusEntry[]): string[] {
    const account = { region: this.engine.account.region, accountId: this.engine.account.accountId };
    const ids = entries.map((entry) => this.engine.messaging.putEvent(bus, eventBridgeEvent(entry, account)));
    this.dispatch.wake();
    return ids;
  }

  async close(): Promise<void> {
    this.buckets.close();
    this.dispatch.close();
    await this.pollers.close();
    await this.frontEnds.close();
  }

  private onObjectChange(
    change: ObjectChange,
    invokeAsync: (functionName: string, payload: Buffer) => void,
    deliver: (kind: Delivery['kind'], source: string, functionName: string) => void,
  ): void {
    const bucket = this.triggers?.buckets.find((candidate) => candidate.name === change.bucket);
    if (!bucket) return;
    const eventName = change.kind === 'created' ? 'ObjectCreated:Put' : 'ObjectRemoved:Delete';
    this.logger.debug({ bucket: change.bucket, key: change.key }, `S3 ${eventName}`);
    for (const notification of bucket.notifications) {
      if (!notification.events.some((pattern) => s3EventMatches(pattern, eventName))) continue;
      if (notification.prefix !== undefined && !change.key.startsWith(notification.prefix)) continue;
      if (notification.suffix !== undefined && !change.key.endsWith(notification.suffix)) continue;
      const event = s3Event(
        {
          bucket: change.bucket,
          key: change.key,
          eventName,
          size: change.size,
          eTag: change.eTag,
          sequencer: change.sequencer,
          time: new Date(),
        },
        { region: this.engine.account.region, accountId: this.engine.account.accountId },
        notification.id,
      );
      invokeAsync(notification.functionName, Buffer.from(JSON.stringify(event)));
      deliver('s3', change.bucket, notification.functionName);
    }
  }
}

/** s3:ObjectCreated:* matches ObjectCreated:Put; s3:ObjectRemoved:Delete matches only itself. */
function s3EventMatches(pattern: string, eventName: string): boolean {
  const wanted = pattern.replace(/^s3:/, '');
  return wanted.endsWith(':*') ? eventName.startsWith(wanted.slice(0, -1)) : wanted === eventName;
}
