import type { TimeScale } from '../../core/clock.js';
import { errorMessage } from '../../core/errors.js';
import { matchesPattern } from '../../core/triggers/event-pattern.js';
import { scheduledEvent, snsEvent, targetInput, type AccountFacts } from '../../core/triggers/event-shapes.js';
import { parseSchedule } from '../../core/triggers/schedule.js';
import { stableUuid, type RuleConfig, type TopicConfig } from '../../core/triggers/trigger-config.js';
import type { Logger } from '../../logging.js';
import type { MessageAttributes, MessagingStore, TopicMessage } from '../../store/messaging-store.js';

export interface DispatchServices {
  messaging: MessagingStore;
  /** Queues an asynchronous (Event) invocation, as SNS, EventBridge and schedules invoke. */
  invokeAsync(functionName: string, payload: Buffer): void;
  account: AccountFacts;
  timeScale: TimeScale;
  logger: Logger;
  onDelivery(kind: 'sns' | 'eventbridge' | 'schedule', source: string, functionName: string): void;
}

/** How often the store is read for messages and events written by another process (the CLI). */
const POLL_MS = 100;

/**
 * Delivers SNS messages to subscribed functions and EventBridge events to the targets of matching
 * rules, and fires scheduled rules. Messages and events are read from the store, so those the CLI
 * writes from another process are delivered too; each is claimed once.
 */
export class Dispatch {
  private topics: TopicConfig[] = [];
  private rules: RuleConfig[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly scheduleTimers = new Map<string, NodeJS.Timeout>();
  private running = false;

  constructor(private readonly services: DispatchServices) {}

  sync(topics: TopicConfig[], rules: RuleConfig[], buses: string[]): void {
    this.topics = topics;
    this.rules = rules;
    for (const topic of topics) this.services.messaging.ensureTopic(topic.name);
    for (const bus of buses) this.services.messaging.ensureBus(bus);
    this.syncSchedules();
    if (!this.running) {
      this.running = true;
      this.schedulePoll(0);
    }
  }

  /** Delivers what is waiting now instead of at the next poll. */
  wake(): void {
    if (this.running) this.schedulePoll(0);
  }

  close(): void {
    this.running = false;
    clearTimeout(this.timer);
    for (const timer of this.scheduleTimers.values()) clearTimeout(timer);
    this.scheduleTimers.clear();
  }

  private schedulePoll(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), delayMs);
    this.timer.unref();
  }

  private poll(): void {
    if (!this.running) return;
    try {
      for (const message of this.services.messaging.claimTopicMessages()) this.deliverMessage(message);
      for (const entry of this.services.messaging.claimBusEvents()) this.deliverEvent(entry.bus, entry.event);
    } catch (error) {
      this.services.logger.error({ err: error }, `Delivering messages and events failed: ${errorMessage(error)}`);
    }
    this.schedulePoll(POLL_MS);
  }

  private deliverMessage(message: TopicMessage & { topic: string }): void {
    const topic = this.topics.find((candidate) => candidate.name === message.topic);
    if (!topic) return;
    for (const subscription of topic.subscriptions) {
      if (subscription.filterPolicy && !passesFilterPolicy(subscription.filterPolicy, subscription.filterPolicyScope, message)) continue;
      const event = snsEvent(
        {
          messageId: message.messageId,
          topicArn: topic.arn,
          subscriptionArn: `${topic.arn}:${stableUuid(`${topic.arn}/${subscription.functionName}`)}`,
          message: message.body,
          ...(message.subject ? { subject: message.subject } : {}),
          time: new Date(message.publishedMs),
          attributes: message.attributes,
        },
        this.services.account,
      );
      this.services.invokeAsync(subscription.functionName, Buffer.from(JSON.stringify(event)));
      this.services.onDelivery('sns', topic.name, subscription.functionName);
    }
  }

  private deliverEvent(bus: string, event: Record<string, unknown>): void {
    for (const rule of this.rules) {
      if (!rule.enabled || rule.bus !== bus || !rule.pattern || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        this.services.invokeAsync(target.functionName, Buffer.from(targetInput(event, target)));
        this.services.onDelivery('eventbridge', rule.name, target.functionName);
      }
    }
  }

  /**
   * Schedules run in the workbench's time: at time scale 60, rate(1 minute) fires every second.
   * Each rule keeps a Lambda-time clock that starts when the rule is loaded.
   */
  private syncSchedules(): void {
    const wanted = new Map(
      this.rules
        .filter((rule) => rule.enabled && rule.schedule)
        .map((rule) => [`${rule.name}\n${rule.schedule}\n${JSON.stringify(rule.targets)}`, rule]),
    );
    for (const [key, timer] of this.scheduleTimers) {
      if (!wanted.has(key)) {
        clearTimeout(timer);
        this.scheduleTimers.delete(key);
      }
    }
    for (const [key, rule] of wanted) {
      if (this.scheduleTimers.has(key)) continue;
      const schedule = parseSchedule(rule.schedule!);
      const realStart = Date.now();
      const toLambdaTime = (real: number): number => realStart + this.services.timeScale.unscale(real - realStart);
      const arm = (afterLambda: number): void => {
        const next = schedule.next(afterLambda);
        if (next === undefined) return;
        const delay = Math.max(0, this.services.timeScale.scale(next - toLambdaTime(Date.now())));
        const timer = setTimeout(() => {
          if (!this.scheduleTimers.has(key)) return;
          this.fire(rule, next);
          arm(next);
        }, delay);
        timer.unref();
        this.scheduleTimers.set(key, timer);
      };
      arm(toLambdaTime(realStart));
    }
  }

  private fire(rule: RuleConfig, lambdaTime: number): void {
    const event = scheduledEvent(rule.arn, new Date(lambdaTime), this.services.account);
    for (const target of rule.targets) {
      this.services.invokeAsync(target.functionName, Buffer.from(targetInput(event, target)));
      this.services.onDelivery('schedule', rule.name, target.functionName);
    }
  }
}

/**
 * Applies an SNS filter policy: to the message attributes (String values as strings, Number values
 * as numbers, String.Array values as lists) or to the JSON body. The syntax is the event pattern's.
 */
export function passesFilterPolicy(
  policy: Record<string, unknown>,
  scope: 'MessageAttributes' | 'MessageBody',
  message: { body: string; attributes: MessageAttributes },
): boolean {
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      return false;
    }
    return matchesPattern(policy, body);
  }
  const attributes: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(message.attributes)) {
    const type = attribute.DataType as string;
    if (type.startsWith('Number')) attributes[name] = Number(attribute.StringValue);
    else if (type === 'String.Array') {
      try {
        attributes[name] = JSON.parse(attribute.StringValue ?? '[]');
      } catch {
        attributes[name] = attribute.StringValue;
      }
    } else if (type.startsWith('String')) attributes[name] = attribute.StringValue;
  }
  return matchesPattern(policy, attributes);
}
