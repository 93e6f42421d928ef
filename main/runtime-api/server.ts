import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '../core/limits.js';

/** The invocation that GET /runtime/invocation/next returns to the runtime. */
export interface InvocationDelivery {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  traceId: string;
  clientContext?: string;
  cognitoIdentity?: string;
  payload: Buffer;
}

/** A runtime parked in GET /next, waiting for work. */
export interface NextWaiter {
  deliver(invocation: InvocationDelivery): void;
  /** Set when the runtime's connection closed before anything was delivered. */
  readonly closed: boolean;
}

export type RuntimeReply =
  | { status: 202 }
  | { status: 400; errorType: 'InvalidRequestID'; errorMessage: string }
  | { status: 403; errorType: 'InvalidStateTransition'; errorMessage: string }
  | { status: 413; errorType: 'RequestEntityTooLarge'; errorMessage: string };

/** The execution environment's side of the Runtime API; the server only translates HTTP. */
export interface RuntimeApiHandler {
  next(waiter: NextWaiter): void;
  /** outputBytes: the bytes the runtime reports having written to stdout and stderr so far, if it reports them. */
  response(requestId: string, payload: Buffer, size: number, outputBytes?: number): RuntimeReply;
  error(requestId: string, errorType: string, payload: Buffer, outputBytes?: number): RuntimeReply;
  initError(errorType: string, payload: Buffer): RuntimeReply;
}

const PREFIX = '/2018-06-01/runtime/';
/**
 * A header the workbench's own runtime clients add to results (real Lambda ignores it): the bytes
 * the process has written to stdout and stderr, so END and REPORT wait for exactly that output.
 */
export const OUTPUT_BYTES_HEADER = 'lambda-workbench-output-bytes';
const INVOCATION_PATH = /^invocation\/([^/]+)\/(response|error)$/;

/**
 * One Lambda Runtime API (version 2018-06-01) endpoint, bound to 127.0.0.1 on its own port.
 * Each execution environment gets its own endpoint, because runtimes address the API by host
 * and port only and the workbench must know which environment is calling.
 */
export class RuntimeApiServer {
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async listen(host: string, handler: RuntimeApiHandler): Promise<RuntimeApiServer> {
    const server = http.createServer((request, response) => route(handler, request, response));
    server.keepAliveTimeout = 0;
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    return new RuntimeApiServer(server, (server.address() as AddressInfo).port);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function route(handler: RuntimeApiHandler, request: http.IncomingMessage, response: http.ServerResponse): void {
  const url = request.url ?? '';
  const resource = url.startsWith(PREFIX) ? url.slice(PREFIX.length).split('?')[0]! : undefined;

  if (request.method === 'GET' && resource === 'invocation/next') {
    handler.next(createWaiter(request, response));
    return;
  }
  if (request.method === 'POST' && resource === 'init/error') {
    readBody(request, LIMITS.syncResponseBytes).then(
      ({ payload }) => {
        send(response, handler.initError(errorTypeOf(request), payload));
      },
      () => response.destroy(),
    );
    return;
  }
  const match = request.method === 'POST' && resource ? INVOCATION_PATH.exec(resource) : null;
  if (match) {
    const requestId = decodeURIComponent(match[1]!);
    const outputBytes = outputBytesOf(request);
    readBody(request, LIMITS.syncResponseBytes).then(
      ({ payload, size }) => {
        const reply =
          match[2] === 'response'
            ? handler.response(requestId, payload, size, outputBytes)
            : handler.error(requestId, errorTypeOf(request), payload, outputBytes);
        send(response, reply);
      },
      () => response.destroy(),
    );
    return;
  }
  sendJson(response, 404, { errorType: 'NotFound', errorMessage: `${request.method} ${url} is not a Runtime API resource.` });
}

function createWaiter(request: http.IncomingMessage, response: http.ServerResponse): NextWaiter {
  let closed = false;
  let delivered = false;
  request.resume();
  response.on('close', () => {
    if (!delivered) closed = true;
  });
  return {
    get closed() {
      return closed;
    },
    deliver(invocation) {
      delivered = true;
      const headers: http.OutgoingHttpHeaders = {
        'Content-Type': 'application/json',
        'Content-Length': invocation.payload.length,
        'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
        'Lambda-Runtime-Deadline-Ms': String(invocation.deadlineMs),
        'Lambda-Runtime-Invoked-Function-Arn': invocation.invokedFunctionArn,
        'Lambda-Runtime-Trace-Id': invocation.traceId,
      };
      if (invocation.clientContext) headers['Lambda-Runtime-Client-Context'] = invocation.clientContext;
      if (invocation.cognitoIdentity) headers['Lambda-Runtime-Cognito-Identity'] = invocation.cognitoIdentity;
      response.writeHead(200, headers);
      response.end(invocation.payload);
    },
  };
}

/**
 * Reads a request body, keeping at most `limit` bytes but counting all of them, so an oversized
 * response can be reported with its real size.
 */
function readBody(request: http.IncomingMessage, limit: number): Promise<{ payload: Buffer; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk.subarray(0, limit - size));
      size += chunk.length;
    });
    request.on('end', () => resolve({ payload: Buffer.concat(chunks), size }));
    request.on('error', reject);
  });
}

function errorTypeOf(request: http.IncomingMessage): string {
  const header = request.headers['lambda-runtime-function-error-type'];
  return (Array.isArray(header) ? header[0] : header) ?? '';
}

function outputBytesOf(request: http.IncomingMessage): number | undefined {
  const header = request.headers[OUTPUT_BYTES_HEADER];
  const value = Number(Array.isArray(header) ? header[0] : header);
  return header !== undefined && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function send(response: http.ServerResponse, reply: RuntimeReply): void {
  if (reply.status === 202) sendJson(response, 202, { status: 'OK' });
  else sendJson(response, reply.status, { errorMessage: reply.errorMessage, errorType: reply.errorType });
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
