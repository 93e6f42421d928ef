import { errorMessageOf, invocationRecord, type DestinationCondition } from '../core/invocation-record.js';
import { isWorkbenchError } from '../core/errors.js';
import type { Clock, Timer, TimeScale } from '../core/clock.js';
import { isExpired, nextStep, type AttemptOutcome, type EventInvokeSettings } from '../core/scheduler/retry-policy.js';
import type { Logger } from '../logging.js';
import type { AsyncEvent, AsyncQueueStore } from '../store/async-queue-store.js';
import type { Destinations } from './destinations.js';
import type { InvocationResult } from './invocation-types.js';
import { ThrottleError } from './throttle.js';

const MIN_POLL_MS = 20;

/** The facts about a function that the dispatcher needs to run its events. */
export interface AsyncTarget {
  settings: EventInvokeSettings;
  onSuccess?: string;
  onFailure?: string;
  deadLetterArn?: string;
  /** The invoked ARN with its qualifier, for the invocation record. */
  functionArn: string;
}

export interface AsyncDispatcherOptions {
  queue: AsyncQueueStore;
  destinations: Destinations;
  clock: Clock;
  timeScale: TimeScale;
  logger: Logger;
  /** Describes the function an event targets; undefined when it no longer exists. */
  target(event: AsyncEvent): AsyncTarget | undefined;
  invoke(event: AsyncEvent): Promise<InvocationResult>;
  /** Events being run at once; throttling still applies per function on top of this. */
  maxInFlight?: number;
  /** Functions with no concurrency left now; their due events wait rather than be throttled. */
  saturated?(): string[];
  /** Told after an outcome reached a destination or dead-letter queue, for the canvas's counters. */
  delivered?(functionName: string, arn: string, condition: 'OnSuccess' | 'OnFailure' | 'DeadLetter'): void;
}

/**
 * Runs asynchronous (Event) invocations from the durable queue: retries after function errors,
 * backs off after throttles, drops events past their maximum age, and delivers the outcome to
 * destinations and dead-letter queues. Every attempt of an event keeps its request id.
 */
export class AsyncDispatcher {
  private running = 0;
  private timer: Timer | undefined;
  private pumping = false;
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: AsyncDispatcherOptions) {}

  /** Starts dispatching; events that were running when the workbench last stopped run again. */
  start(): void {
    const recovered = this.options.queue.recoverRunning(this.options.clock.now());
    if (recovered > 0) this.options.logger.info(`Resuming ${recovered} asynchronous invocation(s) cut off by the last stop`);
    this.wake();
  }

  /** Looks for due events now; call after accepting one. */
  wake(): void {
    if (this.stopped || this.pumping) return;
    this.pumping = true;
    try {
      this.pump();
    } finally {
      this.pumping = false;
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
  }

  /** Resolves when no event is running and none is due now. */
  whenIdle(): Promise<void> {
    if (this.running === 0 && !this.dueNow()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private dueNow(): boolean {
    const due = this.options.queue.nextDueMs();
    return due !== undefined && due <= this.options.clock.now();
  }

  private pump(): void {
    const { queue, clock } = this.options;
    const capacity = (this.options.maxInFlight ?? 64) - this.running;
    if (capacity > 0) {
      for (const event of queue.claimDue(clock.now(), capacity, this.options.saturated?.() ?? [])) {
        this.running += 1;
        void this.process(event)
          .catch((error) => {
            // A bug here must not leave the event stuck as running: try it again later.
            this.options.logger.error(
              { requestId: event.requestId, function: event.functionName, err: error },
              'Asynchronous invocation failed unexpectedly; retrying it',
            );
            this.options.queue.reschedule(event.requestId, {
              attempts: event.attempts,
              setbacks: event.setbacks + 1,
              nextAttemptMs: clock.now() + 1_000,
            });
          })
          .finally(() => {
            this.running -= 1;
            this.wake();
            if (this.running === 0 && !this.dueNow()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
          });
      }
    }
    this.scheduleNext();
  }

  private scheduleNext(): void {
    const { queue, clock } = this.options;
    if (this.timer) clock.clearTimeout(this.timer);
    this.timer = undefined;
    const due = queue.nextDueMs();
    if (due === undefined) return;
    // Due events that were skipped (their function has no concurrency left) are looked at again
    // after a short pause rather than in a busy loop.
    this.timer = clock.setTimeout(() => this.wake(), Math.max(MIN_POLL_MS, due - clock.now()));
    this.timer.unref?.();
  }

  private async process(event: AsyncEvent): Promise<void> {
    const { clock, timeScale, logger } = this.options;
    const target = this.options.target(event);
    if (!target) {
      logger.warn(
        { requestId: event.requestId, function: event.functionName },
        'Dropped an asynchronous invocation: its function no longer exists',
      );
      this.options.queue.complete(event.requestId, {
        attempts: event.attempts,
        outcome: 'dropped:FunctionNotFound',
        finishedMs: clock.now(),
      });
      return;
    }
    const ageMs = timeScale.unscale(clock.now() - event.acceptedMs);
    if (isExpired(ageMs, target.settings)) {
      this.fail(event, target, 'EventAgeExceeded', event.attempts, undefined);
      return;
    }

    let result: InvocationResult | undefined;
    let outcome: AttemptOutcome;
    try {
      result = await this.options.invoke(event);
      outcome = result.status === 'success' ? 'success' : 'function-error';
    } catch (error) {
      outcome = error instanceof ThrottleError ? 'throttled' : 'platform-error';
      const level = outcome === 'throttled' ? 'debug' : 'warn';
      logger[level](
        { requestId: event.requestId, function: event.functionName, err: error },
        `Asynchronous invocation ${outcome === 'throttled' ? 'throttled' : 'could not run'}; it will be retried`,
      );
      if (isWorkbenchError(error, 'FunctionNotFound')) {
        this.options.queue.complete(event.requestId, {
          attempts: event.attempts,
          outcome: 'dropped:FunctionNotFound',
          finishedMs: clock.now(),
        });
        return;
      }
    }

    const attempts = result ? event.attempts + 1 : event.attempts;
    const setbacks = result ? event.setbacks : event.setbacks + 1;
    const now = clock.now();
    const step = nextStep(outcome, { attempts, setbacks, ageMs: timeScale.unscale(now - event.acceptedMs) }, target.settings);
    if (step.kind === 'succeeded') {
      this.succeed(event, target, attempts, result!);
    } else if (step.kind === 'retry') {
      this.options.queue.reschedule(event.requestId, { attempts, setbacks, nextAttemptMs: now + timeScale.scale(step.delayMs) });
    } else {
      this.fail(event, target, step.condition, attempts, result);
    }
  }

  private succeed(event: AsyncEvent, target: AsyncTarget, attempts: number, result: InvocationResult): void {
    const now = this.options.clock.now();
    this.options.queue.complete(event.requestId, { attempts, outcome: 'Success', finishedMs: now }, () => {
      if (!target.onSuccess) return;
      const record = this.record(event, target, 'Success', attempts, result, now);
      this.safely(event, target.onSuccess, 'OnSuccess', () =>
        this.options.destinations.deliverRecord(target.onSuccess!, record, true, now),
      );
    });
  }

  private fail(
    event: AsyncEvent,
    target: AsyncTarget,
    condition: DestinationCondition,
    attempts: number,
    result: InvocationResult | undefined,
  ): void {
    const now = this.options.clock.now();
    this.options.logger.info(
      { requestId: event.requestId, function: event.functionName, attempts },
      `Asynchronous invocation failed: ${condition}`,
    );
    this.options.queue.complete(event.requestId, { attempts, outcome: condition, finishedMs: now }, () => {
      if (target.onFailure) {
        const record = this.record(event, target, condition, attempts, result, now);
        this.safely(event, target.onFailure, 'OnFailure', () =>
          this.options.destinations.deliverRecord(target.onFailure!, record, false, now),
        );
      }
      if (target.deadLetterArn) {
        const message = result
          ? errorMessageOf(result.payload)
          : `Event age exceeded the maximum of ${target.settings.maximumEventAgeSeconds} seconds`;
        this.safely(event, target.deadLetterArn, 'DeadLetter', () =>
          this.options.destinations.deliverDeadLetter(target.deadLetterArn!, event.payload, event.requestId, message, now),
        );
      }
    });
  }

  /** A destination that cannot take the record is logged; it must not keep the event from completing. */
  private safely(event: AsyncEvent, arn: string, condition: 'OnSuccess' | 'OnFailure' | 'DeadLetter', deliver: () => void): void {
    try {
      deliver();
      this.options.delivered?.(event.functionName, arn, condition);
      this.options.logger.info(
        { requestId: event.requestId, function: event.functionName },
        `Delivered the outcome of ${event.requestId} to ${arn}`,
      );
    } catch (error) {
      this.options.logger.error(
        { requestId: event.requestId, function: event.functionName, destination: arn, err: error },
        'Could not deliver to a destination',
      );
    }
  }

  private record(
    event: AsyncEvent,
    target: AsyncTarget,
    condition: DestinationCondition,
    attempts: number,
    result: InvocationResult | undefined,
    now: number,
  ) {
    return invocationRecord({
      requestId: event.requestId,
      functionArn: target.functionArn,
      condition,
      approximateInvokeCount: attempts,
      requestPayload: event.payload,
      ...(result
        ? {
            response: {
              executedVersion: result.executedVersion,
              ...(result.functionError ? { functionError: result.functionError } : {}),
              payload: result.payload,
            },
          }
        : {}),
      timestamp: new Date(now),
    });
  }
}
