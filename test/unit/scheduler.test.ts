import { describe, expect, it } from 'vitest';
import { ManualClock, TimeScale } from '../../main/core/clock.js';
import { invocationRecord } from '../../main/core/invocation-record.js';
import { ConcurrencyTracker } from '../../main/core/scheduler/concurrency.js';
import { isExpired, nextStep } from '../../main/core/scheduler/retry-policy.js';
import { pickVersion } from '../../main/core/scheduler/routing.js';
import { parseSettings } from '../../main/core/settings.js';

describe('concurrency tracker', () => {
  it('throttles a function at its reservation', () => {
    const tracker = new ConcurrencyTracker({ limit: 1_000, unreservedMinimum: 100 });
    tracker.setReserved('f', 2);
    const first = tracker.acquire('f');
    const second = tracker.acquire('f');
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
    expect(tracker.acquire('f')).toEqual({ ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    if (first.ok) first.release();
    expect(tracker.acquire('f').ok).toBe(true);
  });

  it('throttles everything with reservation 0', () => {
    const tracker = new ConcurrencyTracker({ limit: 10, unreservedMinimum: 2 });
    tracker.setReserved('off', 0);
    expect(tracker.acquire('off')).toEqual({ ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
  });

  it('shares what reservations leave of the account', () => {
    const tracker = new ConcurrencyTracker({ limit: 10, unreservedMinimum: 2 });
    tracker.setReserved('big', 7);
    expect(tracker.unreservedLimit()).toBe(3);
    for (let i = 0; i < 3; i += 1) expect(tracker.acquire(i % 2 === 0 ? 'a' : 'b').ok).toBe(true);
    expect(tracker.acquire('c')).toEqual({ ok: false, reason: 'ConcurrentInvocationLimitExceeded' });
    expect(tracker.acquire('big').ok).toBe(true);
  });

  it('rejects a reservation below the unreserved minimum', () => {
    const tracker = new ConcurrencyTracker({ limit: 1_000, unreservedMinimum: 100 });
    tracker.setReserved('other', 500);
    expect(tracker.checkReservation('f', 400)).toBeUndefined();
    expect(tracker.checkReservation('f', 401)).toBe(
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
  });

  it('moves running calls when a reservation changes', () => {
    const tracker = new ConcurrencyTracker({ limit: 3, unreservedMinimum: 0 });
    expect(tracker.acquire('f').ok).toBe(true);
    expect(tracker.acquire('g').ok).toBe(true);
    tracker.setReserved('f', 1);
    expect(tracker.acquire('g').ok).toBe(true);
    expect(tracker.acquire('g')).toEqual({ ok: false, reason: 'ConcurrentInvocationLimitExceeded' });
  });
});

describe('alias routing', () => {
  it('sends the weight share to the additional version', () => {
    let seed = 1;
    const random = (): number => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    let second = 0;
    for (let i = 0; i < 10_000; i += 1)
      if (pickVersion({ functionVersion: '1', additionalVersionWeights: { '2': 0.1 } }, random) === '2') second += 1;
    expect(second / 10_000).toBeGreaterThan(0.09);
    expect(second / 10_000).toBeLessThan(0.11);
  });

  it('uses the primary version without routing', () => {
    expect(pickVersion({ functionVersion: '3' }, () => 0)).toBe('3');
  });
});

describe('retry policy', () => {
  const settings = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };

  it('retries function errors after 1 and 2 minutes', () => {
    expect(nextStep('function-error', { attempts: 1, setbacks: 0, ageMs: 0 }, settings)).toEqual({ kind: 'retry', delayMs: 60_000 });
    expect(nextStep('function-error', { attempts: 2, setbacks: 0, ageMs: 60_000 }, settings)).toEqual({ kind: 'retry', delayMs: 120_000 });
    expect(nextStep('function-error', { attempts: 3, setbacks: 0, ageMs: 180_000 }, settings)).toEqual({
      kind: 'failed',
      condition: 'RetriesExhausted',
    });
  });

  it('gives up at once with no retries', () => {
    expect(nextStep('function-error', { attempts: 1, setbacks: 0, ageMs: 0 }, { ...settings, maximumRetryAttempts: 0 })).toEqual({
      kind: 'failed',
      condition: 'RetriesExhausted',
    });
  });

  it('backs off throttles without using a retry', () => {
    expect(nextStep('throttled', { attempts: 0, setbacks: 1, ageMs: 0 }, settings)).toEqual({ kind: 'retry', delayMs: 1_000 });
    expect(nextStep('throttled', { attempts: 0, setbacks: 4, ageMs: 0 }, settings)).toEqual({ kind: 'retry', delayMs: 8_000 });
    expect(nextStep('platform-error', { attempts: 0, setbacks: 20, ageMs: 0 }, settings)).toEqual({ kind: 'retry', delayMs: 300_000 });
  });

  it('stops at the maximum event age', () => {
    const short = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 60 };
    expect(nextStep('function-error', { attempts: 1, setbacks: 0, ageMs: 1_000 }, short)).toEqual({
      kind: 'failed',
      condition: 'EventAgeExceeded',
    });
    expect(nextStep('throttled', { attempts: 0, setbacks: 1, ageMs: 59_500 }, short)).toEqual({
      kind: 'failed',
      condition: 'EventAgeExceeded',
    });
    expect(isExpired(60_001, short)).toBe(true);
    expect(isExpired(60_000, short)).toBe(false);
  });
});

describe('time', () => {
  it('scales Lambda waits to real ones', () => {
    const scale = new TimeScale(60);
    expect(scale.scale(60_000)).toBe(1_000);
    expect(scale.unscale(1_000)).toBe(60_000);
    expect(() => new TimeScale(0.5)).toThrow('The time scale is 0.5; use a number from 1 (real time) to 3600.');
  });

  it('runs manual timers in order', () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(cancelled);
    clock.advance(19);
    expect(fired).toEqual(['a']);
    clock.advance(1);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1_020);
  });
});

describe('settings', () => {
  it('names the field, value and range of a bad setting', () => {
    expect(() => parseSettings({ accountConcurrency: 0 })).toThrow(
      /^Setting accountConcurrency is 0: Too small: expected number to be >=1/,
    );
    expect(() => parseSettings({ accountConcurrency: 10, unreservedMinimum: 20 })).toThrow(
      'Setting unreservedMinimum is 20, over accountConcurrency (10); it must be at most the account limit.',
    );
    expect(parseSettings({}).accountConcurrency).toBe(1_000);
  });
});

describe('invocation record', () => {
  it('has the fields of Lambda destinations', () => {
    const record = invocationRecord({
      requestId: 'r1',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      requestPayload: Buffer.from('{"order":7}'),
      response: { executedVersion: '$LATEST', functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"boom"}') },
      timestamp: new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(record).toEqual({
      version: '1.0',
      timestamp: '2026-01-02T03:04:05.678Z',
      requestContext: {
        requestId: 'r1',
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { order: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorMessage: 'boom' },
    });
  });
});
