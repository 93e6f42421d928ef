/** The request and the result of one invocation. */
export interface InvocationRequest {
  requestId: string;
  payload: Buffer;
  /** The qualifier the caller named, as it appears in the invoked function ARN. */
  qualifier?: string;
  /** Decoded X-Amz-Client-Context JSON, passed on as Lambda-Runtime-Client-Context. */
  clientContext?: string;
  cognitoIdentity?: string;
  traceId?: string;
}

export type InvocationStatus = 'success' | 'error' | 'timeout';

export interface InvocationResult {
  requestId: string;
  executedVersion: string;
  status: InvocationStatus;
  /** The response, or the error document, exactly as it goes back to the caller. */
  payload: Buffer;
  /** Set when the function failed: Lambda's X-Amz-Function-Error value. */
  functionError?: 'Unhandled';
  errorType?: string;
  durationMs: number;
  /** Present on the invocation that paid for a cold start or a re-initialisation. */
  initDurationMs?: number;
  memorySizeMb: number;
  /** Settles once END and REPORT are written, with the figures that only then are known. */
  report: Promise<InvocationReport>;
}

export interface InvocationReport {
  requestId: string;
  functionName: string;
  status: InvocationStatus;
  errorType?: string;
  durationMs: number;
  billedDurationMs: number;
  initDurationMs?: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  logGroupName: string;
  logStreamName: string;
  /** The invocation's log from START to REPORT. */
  log: string;
  finishedAt: number;
}
