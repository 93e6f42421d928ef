import type { ServerResponse } from 'node:http';
import { isWorkbenchError } from '../core/errors.js';
import { ThrottleError } from '../engine/throttle.js';

/** An error of the Lambda API, sent as Lambda sends it: x-amzn-ErrorType plus {"Type", "message"}. */
export class LambdaApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    message: string,
    /** Fields Lambda adds to some errors' bodies, such as Reason on TooManyRequestsException. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = errorType;
  }

  /** "User" when the caller is at fault, "Service" when Lambda is. */
  get faultType(): 'User' | 'Service' {
    return this.status >= 500 ? 'Service' : 'User';
  }
}

export function sendApiError(response: ServerResponse, requestId: string, error: LambdaApiError): void {
  const body = JSON.stringify({ ...error.extra, Type: error.faultType, message: error.message });
  response.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-ErrorType': error.errorType,
    'x-amzn-RequestId': requestId,
  });
  response.end(body);
}

/** Maps the workbench's own errors onto Lambda's error types. */
export function toApiError(error: unknown): LambdaApiError {
  if (error instanceof LambdaApiError) return error;
  if (error instanceof ThrottleError)
    return new LambdaApiError(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: error.reason });
  if (isWorkbenchError(error)) {
    if (error.code === 'FunctionNotFound') return new LambdaApiError(404, 'ResourceNotFoundException', error.message);
    if (error.code === 'PreconditionFailed') return new LambdaApiError(412, 'PreconditionFailedException', error.message);
    if (error.code === 'ResourceConflict') return new LambdaApiError(409, 'ResourceConflictException', error.message);
    if (error.code === 'CodeVerificationFailed') return new LambdaApiError(400, 'CodeVerificationFailedException', error.message);
    if (error.code === 'InvalidCodeSignature') return new LambdaApiError(400, 'InvalidCodeSignatureException', error.message);
    if (error.source === 'caller') return new LambdaApiError(400, 'InvalidParameterValueException', error.message);
    return new LambdaApiError(500, 'ServiceException', error.message);
  }
  return new LambdaApiError(
    500,
    'ServiceException',
    `The workbench failed to handle the request: ${error instanceof Error ? error.message : String(error)}`,
  );
}
