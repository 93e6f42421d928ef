import type http from 'node:http';
import { LIMITS } from '../core/limits.js';
import { errorMessage } from '../core/errors.js';
import type { InvocationRequest } from '../engine/invocation-types.js';
import { LambdaApiError } from './errors.js';
import { type Route, type RouteCall } from './context.js';
import { parseFunctionName } from './function-name.js';

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'] as const;
const LOG_TYPES = ['None', 'Tail'] as const;
/** Lambda's limit on the decoded X-Amz-Client-Context header. */
const CLIENT_CONTEXT_BYTES = 3_583;

export const invokeRoutes: Route[] = [
  { method: 'POST', pattern: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, handle: handleInvoke },
];

/** POST /2015-03-31/functions/{FunctionName}/invocations: Lambda's Invoke operation. */
async function handleInvoke(call: RouteCall): Promise<void> {
  const { context, request, response, match, url, requestId } = call;
  const reference = parseFunctionName(decodeURIComponent(match[1]!), url.searchParams.get('Qualifier') ?? undefined);
  // Throws ResourceNotFoundException for an unknown function, version or alias.
  const fn = context.engine.resolveTarget(reference.name, reference.qualifier).config;
  const invocationType = enumHeader(request, 'x-amz-invocation-type', 'invocationType', INVOCATION_TYPES, 'RequestResponse');
  const logType = enumHeader(request, 'x-amz-log-type', 'logType', LOG_TYPES, 'None');
  const clientContext = decodeClientContext(request);

  const limit = invocationType === 'Event' ? LIMITS.asyncRequestBytes : LIMITS.syncRequestBytes;
  const { body, size } = await readBody(request, limit);
  if (size > limit) {
    const message =
      invocationType === 'Event'
        ? `${size} byte payload is too large for the Event invocation type (limit ${limit} bytes)`
        : `Request must be smaller than ${limit} bytes for the InvokeFunction operation`;
    throw new LambdaApiError(413, 'RequestEntityTooLargeException', message);
  }
  if (body.length > 0) {
    try {
      JSON.parse(body.toString('utf8'));
    } catch (error) {
      throw new LambdaApiError(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: Could not parse payload into json: ${errorMessage(error)}`,
      );
    }
  }

  const payload = body.length > 0 ? body : Buffer.from('{}');
  const invocation: InvocationRequest = {
    requestId,
    // An invocation without a payload receives an empty JSON object, as on Lambda.
    payload,
    // Lambda passes the client context to synchronous invocations only.
    ...(clientContext && invocationType === 'RequestResponse' ? { clientContext } : {}),
  };

  if (invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-RequestId': requestId });
    response.end();
    return;
  }
  if (invocationType === 'Event') {
    // The event is stored durably before the 202 goes out; the scheduler runs and retries it.
    context.engine.acceptAsync(fn.name, payload, reference.qualifier, requestId);
    response.writeHead(202, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 });
    response.end();
    return;
  }

  const result = await context.engine.invoke(fn.name, invocation, reference.qualifier);
  const headers: http.OutgoingHttpHeaders = {
    'Content-Type': 'application/json',
    'Content-Length': result.payload.length,
    'X-Amz-Executed-Version': result.executedVersion,
    'x-amzn-RequestId': requestId,
    'x-amzn-Remapped-Content-Length': '0',
  };
  if (result.functionError) headers['X-Amz-Function-Error'] = result.functionError;
  if (logType === 'Tail') {
    const report = await result.report;
    headers['X-Amz-Log-Result'] = lastBytes(report.log, LIMITS.tailLogBytes).toString('base64');
  }
  response.writeHead(200, headers);
  response.end(result.payload);
}

function enumHeader<T extends string>(
  request: http.IncomingMessage,
  header: string,
  member: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = request.headers[header];
  const value = (Array.isArray(raw) ? raw[0] : raw) ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new LambdaApiError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
    );
  }
  return value as T;
}

function decodeClientContext(request: http.IncomingMessage): string | undefined {
  const raw = request.headers['x-amz-client-context'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const decoded = Buffer.from(value, 'base64');
  if (decoded.length > CLIENT_CONTEXT_BYTES) {
    throw new LambdaApiError(
      400,
      'InvalidParameterValueException',
      `Client context must be ${CLIENT_CONTEXT_BYTES} bytes or less after decoding; it is ${decoded.length} bytes.`,
    );
  }
  try {
    JSON.parse(decoded.toString('utf8'));
  } catch {
    throw new LambdaApiError(400, 'InvalidRequestContentException', 'Client context must be a base64-encoded JSON object.');
  }
  return decoded.toString('utf8');
}

/** Reads the body, keeping at most limit + 1 bytes: one byte past the limit proves it is too large. */
function readBody(request: http.IncomingMessage, limit: number): Promise<{ body: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (kept <= limit) {
        const piece = chunk.subarray(0, limit + 1 - kept);
        chunks.push(piece);
        kept += piece.length;
      }
    });
    request.on('end', () => resolve({ body: Buffer.concat(chunks), size }));
    request.on('error', reject);
  });
}

function lastBytes(text: string, count: number): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= count ? bytes : bytes.subarray(bytes.length - count);
}
