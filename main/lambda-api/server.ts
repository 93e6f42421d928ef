import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaApiError, sendApiError, toApiError } from './errors.js';
import { functionConfiguration } from './function-configuration.js';
import { resolveFunction, type LambdaApiContext } from './context.js';
import { handleInvoke } from './invoke.js';

type Route = {
  method: string;
  pattern: RegExp;
  handle(
    context: LambdaApiContext,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    match: RegExpExecArray,
    url: URL,
    requestId: string,
  ): Promise<void>;
};

const ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, handle: handleInvoke },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/?$/, handle: listFunctions },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, handle: getFunctionConfiguration },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/([^/]+)\/?$/, handle: getFunction },
];

/**
 * The Lambda API on a loopback port, with Lambda's paths, headers, status codes and error
 * documents, so the AWS CLI and SDKs work against it with --endpoint-url.
 */
export class LambdaApiServer {
  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {}

  static async listen(context: LambdaApiContext, port: number, host = '127.0.0.1'): Promise<LambdaApiServer> {
    const server = http.createServer((request, response) => void dispatch(context, request, response));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return new LambdaApiServer(server, (server.address() as AddressInfo).port);
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function dispatch(context: LambdaApiContext, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(request.url ?? '/', 'http://localhost');
  try {
    for (const route of ROUTES) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      if (request.method !== route.method) continue;
      await route.handle(context, request, response, match, url, requestId);
      return;
    }
    request.resume();
    throw new LambdaApiError(
      404,
      'UnknownOperationException',
      `${request.method} ${url.pathname} is not an operation of the Lambda API served here.`,
    );
  } catch (error) {
    const apiError = toApiError(error);
    const level = apiError.status >= 500 ? 'error' : 'debug';
    context.logger[level]({ requestId, status: apiError.status, errorType: apiError.errorType }, apiError.message);
    if (!response.headersSent) sendApiError(response, requestId, apiError);
    else response.destroy();
  }
}

function lastModified(context: LambdaApiContext): Date {
  return statSync(context.engine.workspace.templatePath).mtime;
}

async function getFunctionConfiguration(
  context: LambdaApiContext,
  _request: http.IncomingMessage,
  response: http.ServerResponse,
  match: RegExpExecArray,
  url: URL,
  requestId: string,
): Promise<void> {
  const { fn } = resolveFunction(context, match, url);
  sendJson(response, 200, requestId, functionConfiguration(fn, context.engine.account, lastModified(context)));
}

async function getFunction(
  context: LambdaApiContext,
  _request: http.IncomingMessage,
  response: http.ServerResponse,
  match: RegExpExecArray,
  url: URL,
  requestId: string,
): Promise<void> {
  const { fn } = resolveFunction(context, match, url);
  const location = fn.code.kind === 'folder' || fn.code.kind === 'zip' ? `file://${fn.code.path}` : undefined;
  sendJson(response, 200, requestId, {
    Configuration: functionConfiguration(fn, context.engine.account, lastModified(context)),
    Code: { RepositoryType: 'S3', ...(location ? { Location: location } : {}) },
    ...(Object.keys(fn.tags).length > 0 ? { Tags: fn.tags } : {}),
  });
}

async function listFunctions(
  context: LambdaApiContext,
  _request: http.IncomingMessage,
  response: http.ServerResponse,
  _match: RegExpExecArray,
  url: URL,
  requestId: string,
): Promise<void> {
  const maxItemsParameter = url.searchParams.get('MaxItems');
  const maxItems = maxItemsParameter === null ? 50 : Number(maxItemsParameter);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 10_000) {
    throw new LambdaApiError(
      400,
      'ValidationException',
      `1 validation error detected: Value '${maxItemsParameter}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 10000`,
    );
  }
  const marker = url.searchParams.get('Marker');
  const start = marker ? Number(Buffer.from(marker, 'base64').toString('utf8')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new LambdaApiError(400, 'InvalidParameterValueException', 'Invalid Marker');
  const all = [...context.engine.functions()].sort((a, b) => a.name.localeCompare(b.name));
  const page = all.slice(start, start + maxItems);
  const modified = lastModified(context);
  const next = start + maxItems < all.length ? Buffer.from(String(start + maxItems)).toString('base64') : null;
  sendJson(response, 200, requestId, {
    Functions: page.map((fn) => functionConfiguration(fn, context.engine.account, modified)),
    NextMarker: next,
  });
}

export function sendJson(response: http.ServerResponse, status: number, requestId: string, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  response.end(text);
}
