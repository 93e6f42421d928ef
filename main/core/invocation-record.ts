/**
 * Lambda's invocation record, the document an asynchronous invocation sends to its OnSuccess or
 * OnFailure destination ("version": "1.0" with requestContext, requestPayload, responseContext and
 * responsePayload).
 */
export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

export interface InvocationRecordInput {
  requestId: string;
  /** The invoked function's ARN with the qualifier it ran under, such as :$LATEST. */
  functionArn: string;
  condition: DestinationCondition;
  approximateInvokeCount: number;
  requestPayload: Buffer;
  /** Absent when the event never ran (EventAgeExceeded before the first attempt). */
  response?: { executedVersion: string; functionError?: string; payload: Buffer };
  timestamp: Date;
}

export function invocationRecord(input: InvocationRecordInput): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: input.timestamp.toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: parseJsonOrText(input.requestPayload),
    ...(input.response
      ? {
          responseContext: {
            statusCode: 200,
            executedVersion: input.response.executedVersion,
            ...(input.response.functionError ? { functionError: input.response.functionError } : {}),
          },
          responsePayload: parseJsonOrText(input.response.payload),
        }
      : {}),
  };
}

/** The error message of a function error document, for a dead-letter message's ErrorMessage attribute. */
export function errorMessageOf(payload: Buffer | undefined): string {
  if (!payload) return '';
  const parsed = parseJsonOrText(payload);
  if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed) return String((parsed as { errorMessage: unknown }).errorMessage);
  return payload.toString('utf8').slice(0, 1024);
}

function parseJsonOrText(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
