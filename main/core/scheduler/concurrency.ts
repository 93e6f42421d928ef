/**
 * Lambda's concurrency accounting. A function with reserved concurrency runs at most that many
 * invocations at once; all other functions share what is left of the account limit. A call over
 * the limit is throttled at once, with the reason Lambda gives.
 */
export type ThrottleReason = 'ReservedFunctionConcurrentInvocationLimitExceeded' | 'ConcurrentInvocationLimitExceeded';

export interface AccountConcurrency {
  /** Concurrent executions for the whole account (Lambda's default quota is 1,000). */
  limit: number;
  /** Unreserved concurrency that reservations may not eat into (Lambda keeps 100). */
  unreservedMinimum: number;
}

export type AcquireResult = { ok: true; release: () => void } | { ok: false; reason: ThrottleReason };

export class ConcurrencyTracker {
  private readonly reserved = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  /** Invocations in flight of functions without reserved concurrency. */
  private unreservedInFlight = 0;

  constructor(private account: AccountConcurrency) {}

  get settings(): AccountConcurrency {
    return this.account;
  }

  setAccount(account: AccountConcurrency): void {
    this.account = account;
  }

  reservedFor(functionName: string): number | undefined {
    return this.reserved.get(functionName);
  }

  totalReserved(except?: string): number {
    let total = 0;
    for (const [name, value] of this.reserved) if (name !== except) total += value;
    return total;
  }

  unreservedLimit(): number {
    return this.account.limit - this.totalReserved();
  }

  /**
   * Checks a reservation against the account: it may not leave less unreserved concurrency
   * than the minimum. Returns Lambda's error message, or undefined when it fits.
   */
  checkReservation(functionName: string, value: number): string | undefined {
    const unreserved = this.account.limit - this.totalReserved(functionName) - value;
    if (unreserved < this.account.unreservedMinimum) {
      return `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${this.account.unreservedMinimum}].`;
    }
    return undefined;
  }

  /** Sets or, with undefined, removes a reservation. The caller checks it first. */
  setReserved(functionName: string, value: number | undefined): void {
    const running = this.inFlight.get(functionName) ?? 0;
    const wasReserved = this.reserved.has(functionName);
    if (value === undefined) this.reserved.delete(functionName);
    else this.reserved.set(functionName, value);
    // Invocations in flight move between the shared pool and the function's own.
    if (wasReserved && value === undefined) this.unreservedInFlight += running;
    if (!wasReserved && value !== undefined) this.unreservedInFlight -= running;
  }

  running(functionName: string): number {
    return this.inFlight.get(functionName) ?? 0;
  }

  acquire(functionName: string): AcquireResult {
    const reserved = this.reserved.get(functionName);
    const running = this.inFlight.get(functionName) ?? 0;
    if (reserved !== undefined) {
      if (running >= reserved) return { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    } else if (this.unreservedInFlight >= this.unreservedLimit()) {
      return { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
    }
    this.inFlight.set(functionName, running + 1);
    if (reserved === undefined) this.unreservedInFlight += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight.set(functionName, (this.inFlight.get(functionName) ?? 1) - 1);
        if (!this.reserved.has(functionName)) this.unreservedInFlight -= 1;
      },
    };
  }
}
