import { randomBytes } from 'node:crypto';

/** Lambda's own log lines and names, formatted as Lambda writes them to CloudWatch Logs. */

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** Present when the invocation did not succeed. */
  status?: 'error' | 'timeout';
  errorType?: string;
}

/** Billed Duration: the duration rounded up to the next whole millisecond. */
export function billedDurationMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

/** Formats the REPORT line with Lambda's tab-separated fields, including the trailing tab that Lambda leaves. */
export function reportLine(fields: ReportFields): string {
  const parts = [
    `REPORT RequestId: ${fields.requestId}`,
    `Duration: ${fields.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${billedDurationMs(fields.durationMs)} ms`,
    `Memory Size: ${fields.memorySizeMb} MB`,
    `Max Memory Used: ${fields.maxMemoryUsedMb} MB`,
  ];
  if (fields.initDurationMs !== undefined) parts.push(`Init Duration: ${fields.initDurationMs.toFixed(2)} ms`);
  if (fields.status) parts.push(`Status: ${fields.status}`);
  if (fields.errorType) parts.push(`Error Type: ${fields.errorType}`);
  return `${parts.join('\t')}\t`;
}

export function initReportLine(initDurationMs: number, status: 'error' | 'timeout', errorType: string): string {
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: ${status}\tError Type: ${errorType}`;
}

export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

const SIGNAL_EXITS: Readonly<Record<number, string>> = {
  134: 'signal: aborted',
  137: 'signal: killed',
  139: 'signal: segmentation fault',
  143: 'signal: terminated',
};

/**
 * Describes a runtime process that ended as Lambda does: "exit status 1", "signal: killed". A
 * container reports a process killed by signal N as exit code 128 + N; only the signals a
 * runtime commonly dies of are decoded, so an explicit exit(129) still reads as a status.
 */
export function describeExit(exitCode: number): string {
  return SIGNAL_EXITS[exitCode] ?? `exit status ${exitCode}`;
}

export function runtimeExitMessage(requestId: string, exitCode: number): string {
  if (exitCode === 0) return `RequestId: ${requestId} Error: Runtime exited without providing a reason`;
  return `RequestId: ${requestId} Error: Runtime exited with error: ${describeExit(exitCode)}`;
}

/** Log stream name of one execution environment: 2026/12/04/[$LATEST]<32 hex digits>. */
export function logStreamName(version: string, at: Date): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

export function functionArn(region: string, accountId: string, functionName: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
  return qualifier ? `${base}:${qualifier}` : base;
}

/** Makes an X-Ray trace header as Lambda passes it to runtimes (Root, Parent, Sampled). */
export function traceHeader(now: Date): string {
  const epoch = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0;Lineage=1:${randomBytes(4).toString('hex')}:0`;
}
