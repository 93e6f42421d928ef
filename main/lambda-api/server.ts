import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { aliasRoutes } from './aliases-routes.js';
import { codeSigningRoutes } from './code-signing-routes.js';
import { concurrencyRoutes } from './concurrency-routes.js';
import type { LambdaApiContext, Route } from './context.js';
import { LambdaApiError, sendApiError, toApiError } from './errors.js';
import { eventInvokeConfigRoutes } from './event-invoke-config-routes.js';
import { functionRoutes } from './functions.js';
import { invokeRoutes } from './invoke.js';
import { layerRoutes } from './layer-routes.js';
import { versionRoutes } from './versions-routes.js';

const ROUTES: Route[] = [
  ...invokeRoutes,
  ...versionRoutes,
  ...aliasRoutes,
  ...concurrencyRoutes,
  ...eventInvokeConfigRoutes,
  ...functionRoutes,
  ...layerRoutes,
  ...codeSigningRoutes,
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
      if (request.method !== route.method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      await route.handle({ context, request, response, match, url, requestId });
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
