/**
 * The fate of an asynchronous event after each attempt, as Lambda decides it. A function error is
 * retried up to MaximumRetryAttempts times, about a minute before the second attempt and two
 * before the third. A throttle or a platform error puts the event back with backoff and does not
 * use up a retry. An event older than MaximumEventAgeInSeconds goes to the failure destination
 * without running.
 */
export interface EventInvokeSettings {
  maximumRetryAttempts: number;
  maximumEventAgeSeconds: number;
}

export const DEFAULT_EVENT_INVOKE_SETTINGS: EventInvokeSettings = { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };

/** Lambda-time delays before the second and third attempts after a function error. */
export const RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000];
/** Backoff after a throttle or platform error: doubling from 1 s, at most 5 minutes (Lambda time). */
const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 300_000;

export type AttemptOutcome = 'success' | 'function-error' | 'throttled' | 'platform-error';

export type NextStep =
  { kind: 'succeeded' } | { kind: 'retry'; delayMs: number } | { kind: 'failed'; condition: 'RetriesExhausted' | 'EventAgeExceeded' };

export interface EventProgress {
  /** Attempts that reached the function, this one included. */
  attempts: number;
  /** Throttles and platform errors so far, this one included. */
  setbacks: number;
  /** Time since the event was accepted, in Lambda time (real time times the time scale). */
  ageMs: number;
}

/** Decides the next step. Delays are in Lambda time; the caller scales them to real time. */
export function nextStep(outcome: AttemptOutcome, progress: EventProgress, settings: EventInvokeSettings): NextStep {
  if (outcome === 'success') return { kind: 'succeeded' };
  const { ageMs } = progress;
  if (outcome === 'function-error') {
    const retriesUsed = progress.attempts - 1;
    if (retriesUsed >= settings.maximumRetryAttempts) return { kind: 'failed', condition: 'RetriesExhausted' };
    const delayMs = RETRY_DELAYS_MS[Math.min(retriesUsed, RETRY_DELAYS_MS.length - 1)]!;
    if (ageMs + delayMs > settings.maximumEventAgeSeconds * 1000) return { kind: 'failed', condition: 'EventAgeExceeded' };
    return { kind: 'retry', delayMs };
  }
  const delayMs = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, progress.setbacks - 1));
  if (ageMs + delayMs > settings.maximumEventAgeSeconds * 1000) return { kind: 'failed', condition: 'EventAgeExceeded' };
  return { kind: 'retry', delayMs };
}

/** Tells whether an event is past its maximum age (ageMs in Lambda time); such an event is not run. */
export function isExpired(ageMs: number, settings: EventInvokeSettings): boolean {
  return ageMs > settings.maximumEventAgeSeconds * 1000;
}
