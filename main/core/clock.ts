/**
 * The scheduler's source of time. Production code uses the system clock. Unit tests pass a manual
 * clock and move time forward instead of sleeping.
 */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): Timer;
  clearTimeout(timer: Timer): void;
}

export interface Timer {
  unref?(): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (timer) => clearTimeout(timer as NodeJS.Timeout),
};

/**
 * The workbench's time scale: with scale 60, a wait Lambda makes for a minute lasts a second.
 * It shortens the scheduler's waits (retry delays, backoff, event age, keep-warm period,
 * schedules), never a function's own timeout.
 */
export class TimeScale {
  constructor(readonly factor: number) {
    if (!Number.isFinite(factor) || factor < 1 || factor > 3_600) {
      throw new RangeError(`The time scale is ${factor}; use a number from 1 (real time) to 3600.`);
    }
  }

  /** Converts a wait of `lambdaMs` on Lambda into the real wait. */
  scale(lambdaMs: number): number {
    return lambdaMs / this.factor;
  }

  /** Converts `realMs` of real time into Lambda time. */
  unscale(realMs: number): number {
    return realMs * this.factor;
  }
}

/** A clock that moves only when a test advances it, for unit tests of timing logic. */
export class ManualClock implements Clock {
  private time: number;
  private readonly timers = new Map<object, { at: number; callback: () => void }>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, delayMs: number): Timer {
    const handle = {};
    this.timers.set(handle, { at: this.time + Math.max(0, delayMs), callback });
    return handle;
  }

  clearTimeout(timer: Timer): void {
    this.timers.delete(timer);
  }

  /** Moves time forward, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [object, { at: number; callback: () => void }] | undefined;
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.timers.delete(next[0]);
      this.time = next[1].at;
      next[1].callback();
    }
    this.time = end;
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}
