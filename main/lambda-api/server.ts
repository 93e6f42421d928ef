import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { aliasRoutes } from './aliases-routes.js';
import { codeSigningRoutes } from './code-signing-routes.js';
import { concurrencyRoutes } from './concurrency-routes.js';
import type { LambdaApiContext, Route } from './context.js';
import { LambdaApiError, sendApiError, toApiError } from './errors.js';
import { eventInvokeConfigRoutes } from './event-invoke-config-routes.js';
import { functionAdminRoutes } from './function-admin-routes.js';
import { functionRoutes } from './functions.js';
import { invokeRoutes } from './invoke.js';
import { layerRoutes } from './layer-routes.js';
import { triggerRoutes } from './trigger-routes.js';
import { versionRoutes } from './versions-routes.js';

const ROUTES: Route[] = [
  ...invokeRoutes,
  ...versionRoutes,
  ...aliasRoutes,
  ...concurrencyRoutes,
  ...eventInvokeConfigRoutes,
  ...functionRoutes,
  ...functionAdminRoutes,
  ...layerRoutes,
  ...codeSigningRoutes,
  ...triggerRoutes,
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
    let guard: RequestGuard = () => undefined;
    const server = http.createServer((request, response) => void dispatch(context, request, response, guard));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const actualPort = (server.address() as AddressInfo).port;
    guard = requestGuard(host, actualPort);
    return new LambdaApiServer(server, actualPort);
  }

  /**
   * Stops listening, closes idle connections at once and any other after a second: a client still
   * sending a body that was refused (413) would otherwise hold the shutdown for the keep-alive time.
   */
  async close(): Promise<void> {
    this.server.closeIdleConnections();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    const timer = setTimeout(() => this.server.closeAllConnections(), 1_000);
    await closed;
    clearTimeout(timer);
  }
}

/** Returns why a request must be refused, or undefined. */
type RequestGuard = (request: http.IncomingMessage) => string | undefined;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The Lambda API serves the AWS CLI and SDKs, which send no Origin header. A request with one comes
 * from a web page, and any page the user opens could otherwise invoke or change functions through
 * it (cross-site requests need no permission for a POST). On a loopback address, the Host header
 * must also name this server, which stops DNS rebinding; containers on Docker Desktop reach it as
 * host.docker.internal. An address chosen with --host other than loopback skips the Host check.
 */
function requestGuard(host: string, port: number): RequestGuard {
  const loopbackOnly = LOOPBACK.has(host);
  const allowedHosts = new Set([...LOOPBACK, 'host.docker.internal'].flatMap((name) => [`${name}:${port}`]));
  return (request) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      return `Requests from web pages (Origin ${origin}) are refused: this Lambda API serves the AWS CLI and SDKs. Use the console for a browser.`;
    }
    if (loopbackOnly && !allowedHosts.has(request.headers.host ?? '')) {
      return `Host ${JSON.stringify(request.headers.host ?? '')} is not this server; call it as 127.0.0.1:${port}.`;
    }
    return undefined;
  };
}

async function dispatch(
  context: LambdaApiContext,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  guard: RequestGuard,
): Promise<void> {
  const requestId = randomUUID();
  const url = new URL(request.url ?? '/', 'http://localhost');
  try {
    const rejection = guard(request);
    if (rejection) {
      request.resume();
      throw new LambdaApiError(403, 'AccessDeniedException', rejection);
    }
    for (const route of ROUTES) {
      if (request.method !== route.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      await route.handle({ context, request, response, match, url, requestId });
      // A write through the control plane (an alias, a version, a mapping) changes what the console shows.
      if (request.method !== 'GET' && !/\/invocations\/?$|\/invoke-async\/?$/.test(url.pathname))
        context.engine.emit('controlPlaneChanged', { operation: `${request.method} ${url.pathname}` });
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
