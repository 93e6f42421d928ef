import { WorkbenchError } from '../core/errors.js';
import type { ThrottleReason } from '../core/scheduler/concurrency.js';

/** A call refused because the function or the account has no concurrency left. */
export class ThrottleError extends WorkbenchError {
  constructor(
    readonly reason: ThrottleReason,
    functionName: string,
  ) {
    super('Throttled', 'caller', `Rate Exceeded. ${functionName} has no concurrency left (${reason}).`);
    this.name = 'ThrottleError';
  }
}
