import { describe, expect, it } from 'vitest';
import { ManualClock, TimeScale } from '../../main/core/clock.js';
import { AsyncDispatcher, type AsyncTarget } from '../../main/engine/async-dispatcher.js';
import { Destinations } from '../../main/engine/destinations.js';
import type { InvocationResult } from '../../main/engine/invocation-types.js';
import { ThrottleError } from '../../main/engine/throttle.js';
import { silentLogger } from '../../main/logging.js';
import { AsyncQueueStore, type AsyncEvent } from '../../main/store/async-queue-store.js';
import { openWorkbenchDatabase } from '../../main/store/database.js';
import { MessagingStore } from '../../main/store/messaging-store.js';

type Script = (event: AsyncEvent) => 'success' | 'error' | 'throttle';

function result(event: AsyncEvent, status: 'success' | 'error'): InvocationResult {
  const payload = Buffer.from(status === 'success' ? '{"ok":true}' : '{"errorType":"Error","errorMessage":"boom"}');
  return {
    requestId: event.requestId,
    executedVersion: '$LATEST',
    status,
    payload,
    ...(status === 'error' ? { functionError: 'Unhandled' as const, errorType: 'Error' } : {}),
    durationMs: 1,
    memorySizeMb: 128,
    report: new Promise(() => undefined),
  };
}

function setup(script: Script, target: Partial<AsyncTarget> = {}, scale = 1) {
  const db = openWorkbenchDatabase(':memory:');
  const queue = new AsyncQueueStore(db);
  const messaging = new MessagingStore(db);
  const clock = new ManualClock(1_000_000);
  const attempts: Array<{ requestId: string; at: number }> = [];
  const wakeLater = { wake: (): void => undefined };
  const destinations = new Destinations({
    messaging,
    asyncQueue: queue,
    region: 'us-east-1',
    accountId: '123456789012',
    onAsyncAccepted: () => wakeLater.wake(),
  });
  const dispatcher = new AsyncDispatcher({
    queue,
    destinations,
    clock,
    timeScale: new TimeScale(scale),
    logger: silentLogger(),
    target: () => ({
      settings: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 },
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST',
      ...target,
    }),
    async invoke(event) {
      const outcome = script(event);
      if (outcome === 'throttle') throw new ThrottleError('ReservedFunctionConcurrentInvocationLimitExceeded', 'f');
      attempts.push({ requestId: event.requestId, at: clock.now() });
      return result(event, outcome);
    },
  });
  wakeLater.wake = () => dispatcher.wake();
  wakeLater.wake = () => dispatcher.wake();
  const accept = (requestId: string, payload = '{"n":1}'): void => {
    queue.accept({ requestId, functionName: 'f', payload: Buffer.from(payload), acceptedMs: clock.now() });
    dispatcher.wake();
  };
  /** Advances time in steps, letting the dispatcher's promises settle after each. */
  const advance = async (ms: number, step = 100): Promise<void> => {
    for (let passed = 0; passed < ms; passed += step) {
      clock.advance(Math.min(step, ms - passed));
      for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { queue, messaging, clock, attempts, dispatcher, accept, advance };
}

describe('async dispatcher', () => {
  it('retries, then fails to destination', async () => {
    const { accept, advance, attempts, queue, messaging } = setup(() => 'error', {
      onFailure: 'arn:aws:sqs:us-east-1:123456789012:failures',
    });
    accept('event-1');
    await advance(10 * 60_000, 1_000);
    expect(attempts.map((attempt) => attempt.requestId)).toEqual(['event-1', 'event-1', 'event-1']);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(60_000);
    expect(attempts[1]!.at - attempts[0]!.at).toBeLessThan(61_100);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(120_000);
    expect(attempts[2]!.at - attempts[1]!.at).toBeLessThan(121_100);
    expect(queue.get('event-1')).toMatchObject({ state: 'done', attempts: 3, outcome: 'RetriesExhausted' });
    const [message] = messaging.peekMessages('failures');
    expect(JSON.parse(message!.body)).toMatchObject({
      requestContext: { requestId: 'event-1', condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { n: 1 },
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'boom' },
    });
  });

  it('shortens the waits by the time scale', async () => {
    const { accept, advance, attempts } = setup(() => 'error', {}, 60);
    accept('fast');
    await advance(5_000, 50);
    expect(attempts).toHaveLength(3);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(2_000);
  });

  it('sends a success record to OnSuccess once', async () => {
    const { accept, advance, attempts, messaging } = setup(() => 'success', { onSuccess: 'arn:aws:sns:us-east-1:123456789012:done' });
    accept('ok');
    await advance(1_000);
    expect(attempts).toHaveLength(1);
    const messages = messaging.topicMessages('done');
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]!.body)).toMatchObject({
      requestContext: { condition: 'Success', approximateInvokeCount: 1 },
      responsePayload: { ok: true },
    });
  });

  it('drops a throttled event past its age to the failure destination and DLQ', async () => {
    const { accept, advance, attempts, messaging, queue } = setup(() => 'throttle', {
      settings: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 60 },
      onFailure: 'arn:aws:events:us-east-1:123456789012:event-bus/failures',
      deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:dlq',
    });
    accept('old', '{"keep":"me"}');
    await advance(120_000, 500);
    expect(attempts).toEqual([]);
    expect(queue.get('old')).toMatchObject({ state: 'done', outcome: 'EventAgeExceeded', attempts: 0 });
    const [busEvent] = messaging.busEvents('failures');
    expect(busEvent!.event).toMatchObject({
      source: 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Failure',
      detail: { requestContext: { condition: 'EventAgeExceeded', approximateInvokeCount: 0 } },
    });
    const [dead] = messaging.peekMessages('dlq');
    expect(dead!.body).toBe('{"keep":"me"}');
    expect(dead!.attributes.RequestID).toEqual({ DataType: 'String', StringValue: 'old' });
    expect(dead!.attributes.ErrorCode).toEqual({ DataType: 'Number', StringValue: '200' });
  });

  it('invokes a function destination asynchronously', async () => {
    const { accept, advance, attempts } = setup(
      (event) => (event.functionName === 'f' && event.requestId === 'origin' ? 'error' : 'success'),
      {
        settings: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 21_600 },
        onFailure: 'arn:aws:lambda:us-east-1:123456789012:function:f:handler',
      },
    );
    accept('origin');
    await advance(1_000);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.requestId).not.toBe('origin');
  });

  it('runs again an event that was running at a crash', async () => {
    const first = setup(() => 'success');
    first.queue.accept({ requestId: 'cut', functionName: 'f', payload: Buffer.from('{}'), acceptedMs: first.clock.now() });
    first.queue.claimDue(first.clock.now(), 10);
    expect(first.queue.get('cut')!.state).toBe('running');
    first.dispatcher.start();
    await first.advance(500);
    expect(first.attempts.map((attempt) => attempt.requestId)).toEqual(['cut']);
    expect(first.queue.get('cut')!.state).toBe('done');
  });
});
