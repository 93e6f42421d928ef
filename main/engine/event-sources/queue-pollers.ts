import { randomUUID } from 'node:crypto';
import type { TimeScale } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { matchesPattern } from '../../core/triggers/event-pattern.js';
import { sqsEvent, type AccountFacts } from '../../core/triggers/event-shapes.js';
import type { QueueConfig, QueueMapping } from '../../core/triggers/trigger-config.js';
import type { Logger } from '../../logging.js';
import type { MessagingStore, QueueMessage } from '../../store/messaging-store.js';
import type { InvocationResult } from '../invocation-types.js';
import { ThrottleError } from '../throttle.js';

export interface PollerServices {
  messaging: MessagingStore;
  invoke(functionName: string, payload: Buffer): Promise<InvocationResult>;
  /** The function's reserved concurrency, when it has one: the mapping never runs more batches. */
  reservedConcurrency(functionName: string): number | undefined;
  account: AccountFacts;
  timeScale: TimeScale;
  logger: Logger;
  /** Told of each batch handed to the function and how it ended. */
  onBatch(mapping: QueueMapping, size: number, outcome: 'success' | 'partial' | 'error' | 'throttled'): void;
}

/** How often an idle mapping looks at its queue again, in real milliseconds. */
const IDLE_POLL_MS = 100;
/** Lambda starts an SQS mapping with five concurrent batches. */
const DEFAULT_CONCURRENCY = 5;

/**
 * SQS event source mappings: each polls its queue, builds batches of up to BatchSize messages
 * (waiting up to MaximumBatchingWindowInSeconds to fill one), invokes the function synchronously,
 * and deletes what succeeded. A failed batch returns to the queue when its visibility timeout ends;
 * with ReportBatchItemFailures only the messages the function names return. The queue's
 * RedrivePolicy moves a message received maxReceiveCount times to the dead-letter queue.
 */
export class QueuePollers {
  private readonly pollers = new Map<string, MappingPoller>();

  constructor(private readonly services: PollerServices) {}

  sync(mappings: QueueMapping[], queues: QueueConfig[]): void {
    const wanted = new Map(mappings.filter((mapping) => mapping.enabled).map((mapping) => [mapping.uuid, mapping]));
    for (const [uuid, poller] of this.pollers) {
      if (!wanted.has(uuid) || JSON.stringify(poller.mapping) !== JSON.stringify(wanted.get(uuid))) {
        poller.stop();
        this.pollers.delete(uuid);
      }
    }
    for (const [uuid, mapping] of wanted) {
      if (this.pollers.has(uuid)) continue;
      const queue = queues.find((candidate) => candidate.name === mapping.queue);
      this.services.messaging.ensureQueue(mapping.queue);
      const poller = new MappingPoller(mapping, queue, this.services);
      this.pollers.set(uuid, poller);
      poller.start();
    }
  }

  /** Looks at the queues now instead of at the next poll, after a message was sent. */
  wake(): void {
    for (const poller of this.pollers.values()) poller.wake();
  }

  async close(): Promise<void> {
    await Promise.all([...this.pollers.values()].map((poller) => poller.stop()));
    this.pollers.clear();
  }
}

class MappingPoller {
  private running = false;
  private inFlight = 0;
  private readonly active = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private backoffUntil = 0;

  constructor(
    readonly mapping: QueueMapping,
    private readonly queue: QueueConfig | undefined,
    private readonly services: PollerServices,
  ) {}

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.active]);
  }

  wake(): void {
    if (this.running && Date.now() >= this.backoffUntil) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), delayMs);
    this.timer.unref();
  }

  private get concurrency(): number {
    const reserved = this.services.reservedConcurrency(this.mapping.functionName);
    return Math.max(1, Math.min(this.mapping.maximumConcurrency ?? DEFAULT_CONCURRENCY, reserved ?? Infinity));
  }

  private visibilityMs(): number {
    return this.services.timeScale.scale((this.queue?.visibilityTimeoutSeconds ?? 30) * 1000);
  }

  private poll(): void {
    if (!this.running) return;
    while (this.inFlight < this.concurrency && Date.now() >= this.backoffUntil) {
      const messages = this.receive(this.mapping.batchSize);
      if (messages.length === 0) break;
      this.startBatch(messages);
    }
    this.schedule(Math.max(IDLE_POLL_MS, this.backoffUntil - Date.now()));
  }

  private receive(count: number): QueueMessage[] {
    return this.services.messaging.receiveMessages(this.mapping.queue, count, this.visibilityMs(), Date.now(), this.queue?.redrive);
  }

  private startBatch(first: QueueMessage[]): void {
    this.inFlight += 1;
    const work = this.runBatch(first)
      .catch((error: unknown) =>
        this.services.logger.error({ err: error }, `SQS mapping ${this.mapping.uuid}: a batch failed unexpectedly`),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.active.delete(work);
        this.wake();
      });
    this.active.add(work);
  }

  private async runBatch(first: QueueMessage[]): Promise<void> {
    let messages = first;
    // The batching window: wait for more messages until the batch is full or the window ends.
    const windowMs = this.services.timeScale.scale(this.mapping.maximumBatchingWindowSeconds * 1000);
    const deadline = Date.now() + windowMs;
    while (messages.length < this.mapping.batchSize && Date.now() < deadline && this.running) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(IDLE_POLL_MS, deadline - Date.now())));
      messages = [...messages, ...this.receive(this.mapping.batchSize - messages.length)];
    }

    // FilterCriteria: messages that match no filter are deleted without reaching the function.
    const { messaging } = this.services;
    if (this.mapping.filters.length > 0) {
      const kept: QueueMessage[] = [];
      for (const message of messages) {
        const record = { body: parseBody(message.body), messageAttributes: message.attributes };
        if (this.mapping.filters.some((filter) => matchesPattern(filter, record))) kept.push(message);
        else messaging.deleteMessage(this.mapping.queue, message.receiptHandle!);
      }
      messages = kept;
      if (messages.length === 0) return;
    }

    const payload = Buffer.from(
      JSON.stringify(
        sqsEvent(
          messages.map((message) => ({
            messageId: message.messageId,
            receiptHandle: message.receiptHandle!,
            body: message.body,
            receiveCount: message.receiveCount,
            sentMs: message.sentMs,
            firstReceivedMs: message.firstReceivedMs ?? Date.now(),
            messageAttributes: message.attributes,
            ...(message.groupId ? { groupId: message.groupId } : {}),
            ...(message.deduplicationId ? { deduplicationId: message.deduplicationId } : {}),
            ...(message.sequenceNumber ? { sequenceNumber: message.sequenceNumber } : {}),
          })),
          this.mapping.queueArn,
          this.services.account,
        ),
      ),
    );
    let result: InvocationResult;
    try {
      result = await this.services.invoke(this.mapping.functionName, payload);
    } catch (error) {
      // Throttled or not runnable: the batch goes back to the queue now, and polling pauses a moment.
      messaging.releaseMessages(
        this.mapping.queue,
        messages.map((message) => message.receiptHandle!),
      );
      this.backoffUntil = Date.now() + (error instanceof ThrottleError ? 200 : 1_000);
      this.services.onBatch(this.mapping, messages.length, 'throttled');
      if (!(error instanceof ThrottleError))
        this.services.logger.warn(`SQS mapping of ${this.mapping.functionName}: ${errorMessage(error)}`);
      return;
    }
    if (result.status !== 'success') {
      // The whole batch returns to the queue when its visibility timeout ends.
      this.services.onBatch(this.mapping, messages.length, 'error');
      return;
    }
    const failed = this.mapping.reportBatchItemFailures ? failedItems(result.payload, messages) : new Set<string>();
    for (const message of messages) if (!failed.has(message.messageId)) messaging.deleteMessage(this.mapping.queue, message.receiptHandle!);
    this.services.onBatch(this.mapping, messages.length, failed.size > 0 ? 'partial' : 'success');
  }
}

/**
 * The messages a ReportBatchItemFailures response names. A response Lambda cannot read, or one
 * naming a message not in the batch, fails the whole batch, as Lambda does.
 */
function failedItems(payload: Buffer, messages: QueueMessage[]): Set<string> {
  const all = new Set(messages.map((message) => message.messageId));
  let response: unknown;
  try {
    response = JSON.parse(payload.toString('utf8'));
  } catch {
    return all;
  }
  if (response === null || typeof response !== 'object') return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const named = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return all;
    named.add(id);
  }
  return named;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

/** A fresh id for messages the console or the CLI sends. */
export function newMessageId(): string {
  return randomUUID();
}
