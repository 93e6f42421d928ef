import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorMessage } from '../../core/errors.js';
import {
  albEvent,
  albResponse,
  apiGatewayV1Event,
  apiGatewayV1Response,
  httpApiV2Event,
  httpApiV2Response,
  matchRoutePath,
  type HttpRequestInfo,
  type HttpResponseInfo,
} from '../../core/triggers/http-events.js';
import { verifySigV4, type SigningCredentials } from '../../core/triggers/sigv4.js';
import type { ApiRoute, FunctionUrlConfig, ListenerConfig } from '../../core/triggers/trigger-config.js';
import type { Logger } from '../../logging.js';
import type { InvocationResult } from '../invocation-types.js';
import { ThrottleError } from '../throttle.js';

export interface FrontEndServices {
  invoke(functionName: string, payload: Buffer): Promise<InvocationResult>;
  account: { region: string; accountId: string; credentials: SigningCredentials };
  /** Seeds the ports, so each front end gets the same port on every start when it is free. */
  workspaceKey: string;
  logger: Logger;
  onDelivery(kind: 'url' | 'alb' | 'api', source: string, functionName: string): void;
}

export interface Endpoint {
  kind: 'url' | 'alb' | 'api';
  /** The function (URL), the listener (ALB) or "api". */
  name: string;
  url: string;
}

/** Function URLs accept request payloads of at most 6 MB, as synchronous invocations do. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * The HTTP front ends of a workspace on 127.0.0.1: a server per function URL, per load balancer
 * listener, and one for the Api and HttpApi events (as `sam local start-api` serves them). Each
 * turns a request into the event its AWS service sends, invokes the function synchronously and
 * turns the answer back into HTTP.
 */
export class HttpFrontEnds {
  private readonly servers = new Map<string, { server: http.Server; endpoint: Endpoint; config: string }>();

  constructor(private readonly services: FrontEndServices) {}

  endpoints(): Endpoint[] {
    return [...this.servers.values()].map((entry) => entry.endpoint);
  }

  /** Starts, keeps or stops servers so that they match the configuration. */
  async sync(urls: FunctionUrlConfig[], listeners: ListenerConfig[], apis: ApiRoute[], apiPort?: number): Promise<void> {
    const wanted = new Map<string, { config: string; start: () => Promise<{ server: http.Server; endpoint: Endpoint }> }>();
    for (const url of urls) {
      wanted.set(`url:${url.functionName}`, { config: JSON.stringify(url), start: () => this.startUrl(url) });
    }
    for (const listener of listeners) {
      wanted.set(`alb:${listener.logicalId}`, { config: JSON.stringify(listener), start: () => this.startListener(listener) });
    }
    if (apis.length > 0) wanted.set('api', { config: JSON.stringify(apis), start: () => this.startApi(apis, apiPort) });

    for (const [key, entry] of this.servers) {
      const next = wanted.get(key);
      if (next && next.config === entry.config) continue;
      await closeServer(entry.server);
      this.servers.delete(key);
    }
    for (const [key, entry] of wanted) {
      if (this.servers.has(key)) continue;
      try {
        const started = await entry.start();
        this.servers.set(key, { ...started, config: entry.config });
      } catch (error) {
        this.services.logger.error(`Could not start the HTTP front end ${key}: ${errorMessage(error)}`);
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.servers.values()].map((entry) => closeServer(entry.server)));
    this.servers.clear();
  }

  // ---- function URLs ----

  private async startUrl(config: FunctionUrlConfig): Promise<{ server: http.Server; endpoint: Endpoint }> {
    const { account } = this.services;
    const urlId = createHash('sha256').update(`${account.accountId}/${config.functionName}`).digest('hex').slice(0, 32);
    const server = http.createServer((request, response) => {
      void this.handle(request, response, async (info) => {
        const origin = headerOf(info, 'origin');
        const cors = config.cors;
        if (cors && info.method === 'OPTIONS' && origin && headerOf(info, 'access-control-request-method')) {
          return { statusCode: 200, headers: corsHeaders(cors, origin, true), body: Buffer.alloc(0) };
        }
        let iam: { accessKey: string; accountId: string; userArn: string } | undefined;
        if (config.authType === 'AWS_IAM') {
          const check = verifySigV4(info, account.credentials, account.region, 'lambda', Date.now());
          if (!check.ok) {
            this.services.logger.info(
              `Function URL of ${config.functionName}: refused an unsigned or badly signed request (${check.reason})`,
            );
            return json(403, { Message: 'Forbidden' });
          }
          iam = { accessKey: check.accessKey, accountId: account.accountId, userArn: `arn:aws:iam::${account.accountId}:user/workbench` };
        }
        const event = httpApiV2Event(info, {
          routeKey: '$default',
          stage: '$default',
          apiId: urlId,
          domainName: `${urlId}.lambda-url.${account.region}.on.aws`,
          accountId: account.accountId,
          ...(iam ? { iam } : {}),
        });
        const response = await this.invoke(
          config.functionName,
          event,
          'url',
          config.functionName,
          (result) => httpApiV2Response(result.payload.toString('utf8')),
          {
            error: json(502, { Message: 'Internal Server Error' }),
            throttled: json(429, { Message: 'Rate Exceeded.' }),
          },
        );
        if (cors && origin) response.headers.push(...corsHeaders(cors, origin, false));
        return response;
      });
    });
    const port = await listen(server, stablePort(`${this.services.workspaceKey}/url/${config.functionName}`));
    const endpoint: Endpoint = { kind: 'url', name: config.functionName, url: `http://127.0.0.1:${port}/` };
    this.services.logger.info(`Function URL of ${config.functionName} (${config.authType}): ${endpoint.url}`);
    return { server, endpoint };
  }

  // ---- Application Load Balancer listeners ----

  private async startListener(listener: ListenerConfig): Promise<{ server: http.Server; endpoint: Endpoint }> {
    const server = http.createServer((request, response) => {
      void this.handle(request, response, async (info) => {
        const host = (headerOf(info, 'host') ?? '').replace(/:\d+$/, '');
        const rule = listener.rules.find(
          (candidate) =>
            (candidate.paths.length === 0 || candidate.paths.some((pattern) => wildcard(pattern, info.rawPath, false))) &&
            (candidate.hosts.length === 0 || candidate.hosts.some((pattern) => wildcard(pattern, host, true))),
        );
        const target = rule?.targetGroup ?? listener.defaultTarget;
        if (!target)
          return {
            statusCode: 404,
            statusText: 'Not Found',
            headers: [['content-type', 'text/plain']],
            body: Buffer.from('No rule of this listener matches.'),
          };
        const event = albEvent(info, target.arn, target.multiValueHeaders);
        const failure: HttpResponseInfo = {
          statusCode: 502,
          statusText: 'Bad Gateway',
          headers: [['content-type', 'text/html']],
          body: Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>'),
        };
        return this.invoke(
          target.functionName,
          event,
          'alb',
          listener.logicalId,
          (result) => albResponse(parse(result.payload), target.multiValueHeaders),
          { error: failure, throttled: { ...failure, statusCode: 503, statusText: 'Service Unavailable' } },
        );
      });
    });
    // A privileged port (such as 80) becomes a free one; the log and the console show which.
    const preferred = listener.port >= 1024 ? listener.port : stablePort(`${this.services.workspaceKey}/alb/${listener.logicalId}`);
    const port = await listen(server, preferred);
    const endpoint: Endpoint = { kind: 'alb', name: listener.logicalId, url: `http://127.0.0.1:${port}/` };
    this.services.logger.info(`Load balancer listener ${listener.logicalId} (port ${listener.port}): ${endpoint.url}`);
    return { server, endpoint };
  }

  // ---- API Gateway (Api and HttpApi events) ----

  private async startApi(routes: ApiRoute[], port: number | undefined): Promise<{ server: http.Server; endpoint: Endpoint }> {
    const ordered = [...routes].sort((a, b) => routeRank(a) - routeRank(b));
    const server = http.createServer((request, response) => {
      void this.handle(request, response, async (info) => {
        for (const route of ordered) {
          if (route.method !== 'ANY' && route.method !== info.method) continue;
          const parameters = route.path === undefined ? {} : matchRoutePath(route.path, info.rawPath);
          if (!parameters) continue;
          const resource = route.path ?? '$default';
          const routeKey = route.path === undefined ? '$default' : `${route.method} ${route.path}`;
          if (route.payloadVersion === '1.0') {
            const event = apiGatewayV1Event(
              info,
              { resource, routeKey, pathParameters: Object.keys(parameters).length > 0 ? parameters : null, stage: 'Prod', apiId: 'local' },
              this.services.account.accountId,
            );
            return this.invoke(route.functionName, event, 'api', routeKey, (result) => apiGatewayV1Response(parse(result.payload)), {
              error: json(502, { message: 'Internal server error' }),
              throttled: json(429, { message: 'Too Many Requests' }),
            });
          }
          const event = httpApiV2Event(info, {
            routeKey,
            pathParameters: parameters,
            stage: '$default',
            apiId: 'local',
            domainName: `127.0.0.1`,
            accountId: this.services.account.accountId,
          });
          return this.invoke(route.functionName, event, 'api', routeKey, (result) => httpApiV2Response(result.payload.toString('utf8')), {
            error: json(500, { message: 'Internal Server Error' }),
            throttled: json(429, { message: 'Too Many Requests' }),
          });
        }
        return json(404, { message: 'Not Found' });
      });
    });
    const actual = await listen(server, port ?? stablePort(`${this.services.workspaceKey}/api`));
    const endpoint: Endpoint = { kind: 'api', name: 'api', url: `http://127.0.0.1:${actual}/` };
    this.services.logger.info(`API (${routes.length} route${routes.length === 1 ? '' : 's'}): ${endpoint.url}`);
    for (const route of routes) {
      const path = route.path === undefined ? '$default' : `${route.method} ${route.path}`;
      this.services.logger.info(`  ${path} -> ${route.functionName} (${route.kind}, payload ${route.payloadVersion})`);
    }
    return { server, endpoint };
  }

  // ---- shared ----

  private async invoke(
    functionName: string,
    event: unknown,
    kind: 'url' | 'alb' | 'api',
    source: string,
    toResponse: (result: InvocationResult) => HttpResponseInfo,
    failures: { error: HttpResponseInfo; throttled: HttpResponseInfo },
  ): Promise<HttpResponseInfo> {
    this.services.onDelivery(kind, source, functionName);
    try {
      const result = await this.services.invoke(functionName, Buffer.from(JSON.stringify(event)));
      if (result.status !== 'success') return failures.error;
      return toResponse(result);
    } catch (error) {
      if (error instanceof ThrottleError) return failures.throttled;
      this.services.logger.warn(`${kind} front end of ${functionName}: ${errorMessage(error)}`);
      return failures.error;
    }
  }

  private async handle(
    request: http.IncomingMessage,
    response: http.ServerResponse,
    answer: (info: HttpRequestInfo) => Promise<HttpResponseInfo>,
  ): Promise<void> {
    try {
      const body = await readBody(request);
      if (!body) {
        send(response, json(413, { message: 'Request must be smaller than 6291456 bytes.' }));
        return;
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      const headers: Array<[string, string]> = [];
      for (let index = 0; index < request.rawHeaders.length; index += 2)
        headers.push([request.rawHeaders[index]!, request.rawHeaders[index + 1]!]);
      const rawUrl = request.url ?? '/';
      const queryAt = rawUrl.indexOf('?');
      send(
        response,
        await answer({
          method: request.method ?? 'GET',
          rawPath: url.pathname,
          rawQuery: queryAt < 0 ? '' : rawUrl.slice(queryAt + 1),
          headers,
          body,
          sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          receivedAt: new Date(),
        }),
      );
    } catch (error) {
      this.services.logger.error({ err: error }, 'An HTTP front end failed to answer a request');
      if (!response.headersSent) send(response, json(500, { message: 'Internal Server Error' }));
      else response.destroy();
    }
  }
}

function headerOf(info: HttpRequestInfo, name: string): string | undefined {
  return info.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

function json(statusCode: number, body: unknown): HttpResponseInfo {
  return { statusCode, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify(body)) };
}

function parse(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(response: http.ServerResponse, answer: HttpResponseInfo): void {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of answer.headers) {
    const key = name.toLowerCase();
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  if (!grouped.has('content-length')) grouped.set('content-length', [String(answer.body.length)]);
  grouped.set('x-amzn-requestid', [randomUUID()]);
  response.statusCode = answer.statusCode;
  if (answer.statusText) response.statusMessage = answer.statusText;
  for (const [name, values] of grouped) response.setHeader(name, values.length === 1 ? values[0]! : values);
  response.end(answer.body);
}

function corsHeaders(cors: NonNullable<FunctionUrlConfig['cors']>, origin: string, preflight: boolean): Array<[string, string]> {
  const allowed = cors.allowOrigins.includes('*')
    ? cors.allowCredentials
      ? origin
      : '*'
    : cors.allowOrigins.includes(origin)
      ? origin
      : undefined;
  if (!allowed) return [];
  const headers: Array<[string, string]> = [['access-control-allow-origin', allowed]];
  if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true']);
  if (preflight) {
    if (cors.allowMethods.length > 0) headers.push(['access-control-allow-methods', cors.allowMethods.join(',')]);
    if (cors.allowHeaders.length > 0) headers.push(['access-control-allow-headers', cors.allowHeaders.join(',')]);
    if (cors.maxAge !== undefined) headers.push(['access-control-max-age', String(cors.maxAge)]);
  } else if (cors.exposeHeaders.length > 0) {
    headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')]);
  }
  return headers;
}

/** ALB conditions: * matches any characters and ? one; host names compare without case. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const expression = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${expression}$`, ignoreCase ? 'i' : '').test(value);
}

/** Routes with fixed paths first, then with parameters, then greedy ones, then $default. */
function routeRank(route: ApiRoute): number {
  if (route.path === undefined) return 4;
  if (route.path.includes('+}')) return 3;
  if (route.path.includes('{')) return 2;
  return route.method === 'ANY' ? 1.5 : 1;
}

async function readBody(request: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A port in 30000-39999 derived from a seed, so a front end keeps its address across restarts. */
function stablePort(seed: string): number {
  return 30_000 + (createHash('sha256').update(seed).digest().readUInt32BE(0) % 10_000);
}

async function listen(server: http.Server, preferred: number): Promise<number> {
  for (const port of [preferred, 0]) {
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      return (server.address() as AddressInfo).port;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw error;
    }
  }
  throw new Error('unreachable');
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
