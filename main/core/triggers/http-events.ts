import { randomUUID } from 'node:crypto';

/**
 * HTTP requests as Lambda's HTTP front ends hand them to functions, and the functions' answers as
 * those front ends turn them back into HTTP: an Application Load Balancer (with or without
 * multi-value headers), API Gateway REST APIs (payload 1.0), and HTTP APIs and function URLs
 * (payload 2.0).
 */

export interface HttpRequestInfo {
  method: string;
  /** The path as the client sent it, without the query string. */
  rawPath: string;
  /** The query string as sent, without the leading ?. */
  rawQuery: string;
  /** Header names and values in the order received; a repeated header appears once per value. */
  headers: Array<[string, string]>;
  body: Buffer;
  sourceIp: string;
  receivedAt: Date;
}

export interface HttpResponseInfo {
  statusCode: number;
  statusText?: string;
  /** Header names and values; Set-Cookie may repeat. */
  headers: Array<[string, string]>;
  body: Buffer;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)|[^;]*\+(json|xml))/i;

/** Tells whether a body of this content type travels as text; anything else goes base64. */
export function isTextual(contentType: string | undefined): boolean {
  return contentType === undefined || contentType === '' || TEXT_TYPES.test(contentType.trim());
}

function header(request: HttpRequestInfo, name: string): string | undefined {
  return request.headers.find(([key]) => key.toLowerCase() === name)?.[1];
}

function encodedBody(request: HttpRequestInfo): { body: string; isBase64Encoded: boolean } {
  if (request.body.length === 0) return { body: '', isBase64Encoded: false };
  const textual = isTextual(header(request, 'content-type')) && isUtf8(request.body);
  return textual
    ? { body: request.body.toString('utf8'), isBase64Encoded: false }
    : { body: request.body.toString('base64'), isBase64Encoded: true };
}

function isUtf8(buffer: Buffer): boolean {
  return Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);
}

/** Query parameters in order, with their raw (still encoded) or decoded names and values. */
function queryPairs(rawQuery: string, decode: boolean): Array<[string, string]> {
  if (rawQuery === '') return [];
  const decodeComponent = (text: string): string => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return text;
    }
  };
  return rawQuery
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const equals = part.indexOf('=');
      const [name, value] = equals < 0 ? [part, ''] : [part.slice(0, equals), part.slice(equals + 1)];
      return decode ? [decodeComponent(name), decodeComponent(value)] : [name, value];
    });
}

function multiValue(pairs: Array<[string, string]>, lowerCaseNames: boolean): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [rawName, value] of pairs) {
    const name = lowerCaseNames ? rawName.toLowerCase() : rawName;
    (result[name] ??= []).push(value);
  }
  return result;
}

/** The last value of each name, as single-value maps keep it. */
function lastValue(pairs: Array<[string, string]>, lowerCaseNames: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [rawName, value] of pairs) result[lowerCaseNames ? rawName.toLowerCase() : rawName] = value;
  return result;
}

// ---- Application Load Balancer ----

/**
 * The event an ALB sends to a Lambda target. Query strings stay URL-encoded, as the ALB passes
 * them; with multi-value headers on, headers and query parameters are lists.
 */
export function albEvent(request: HttpRequestInfo, targetGroupArn: string, multiValueHeaders: boolean): Record<string, unknown> {
  const query = queryPairs(request.rawQuery, false);
  const headers = [...request.headers, ['x-forwarded-for', request.sourceIp] as [string, string]];
  return {
    requestContext: { elb: { targetGroupArn } },
    httpMethod: request.method,
    path: request.rawPath,
    ...(multiValueHeaders
      ? { multiValueQueryStringParameters: multiValue(query, false), multiValueHeaders: multiValue(headers, true) }
      : { queryStringParameters: lastValue(query, false), headers: lastValue(headers, true) }),
    ...encodedBody(request),
  };
}

/** Turns a function's answer to an ALB event into the HTTP response the ALB sends. */
export function albResponse(result: unknown, multiValueHeaders: boolean): HttpResponseInfo {
  const answer = (result ?? {}) as {
    statusCode?: unknown;
    statusDescription?: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  if (typeof answer !== 'object' || typeof answer.statusCode !== 'number') {
    return {
      statusCode: 502,
      statusText: 'Bad Gateway',
      headers: [['content-type', 'text/html']],
      body: Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>'),
    };
  }
  const headers: Array<[string, string]> = [];
  if (multiValueHeaders) {
    for (const [name, values] of Object.entries(answer.multiValueHeaders ?? {}))
      for (const value of values ?? []) headers.push([name, String(value)]);
  } else {
    for (const [name, value] of Object.entries(answer.headers ?? {})) headers.push([name, String(value)]);
  }
  const description = typeof answer.statusDescription === 'string' ? /^\d+\s+(.*)$/.exec(answer.statusDescription)?.[1] : undefined;
  return {
    statusCode: answer.statusCode,
    ...(description ? { statusText: description } : {}),
    headers,
    body: bodyOf(answer.body, answer.isBase64Encoded === true),
  };
}

// ---- API Gateway REST API, payload format 1.0 ----

export interface RouteMatch {
  /** The route as declared, such as /orders/{id} or GET /orders/{id}. */
  resource: string;
  routeKey: string;
  pathParameters: Record<string, string> | null;
  stage: string;
  apiId: string;
}

export function apiGatewayV1Event(request: HttpRequestInfo, route: RouteMatch, accountId: string): Record<string, unknown> {
  const query = queryPairs(request.rawQuery, true);
  return {
    resource: route.resource,
    path: request.rawPath,
    httpMethod: request.method,
    headers: lastValue(request.headers, false),
    multiValueHeaders: multiValue(request.headers, false),
    queryStringParameters: query.length > 0 ? lastValue(query, false) : null,
    multiValueQueryStringParameters: query.length > 0 ? multiValue(query, false) : null,
    pathParameters: route.pathParameters,
    stageVariables: null,
    requestContext: {
      accountId,
      apiId: route.apiId,
      httpMethod: request.method,
      identity: { sourceIp: request.sourceIp, userAgent: header(request, 'user-agent') ?? null },
      path: `/${route.stage}${request.rawPath}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: request.receivedAt.toUTCString(),
      requestTimeEpoch: request.receivedAt.getTime(),
      resourcePath: route.resource,
      stage: route.stage,
    },
    ...encodedBody(request),
  };
}

/** Turns an answer to a 1.0 event into HTTP: statusCode, headers, multiValueHeaders and body are read. */
export function apiGatewayV1Response(result: unknown): HttpResponseInfo {
  const answer = result as {
    statusCode?: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    body?: unknown;
    isBase64Encoded?: unknown;
  } | null;
  if (!answer || typeof answer !== 'object' || typeof answer.statusCode !== 'number') {
    return { statusCode: 502, headers: [['content-type', 'application/json']], body: Buffer.from('{"message": "Internal server error"}') };
  }
  const headers: Array<[string, string]> = Object.entries(answer.headers ?? {}).map(([name, value]) => [name, String(value)]);
  for (const [name, values] of Object.entries(answer.multiValueHeaders ?? {}))
    for (const value of values ?? []) headers.push([name, String(value)]);
  return { statusCode: answer.statusCode, headers, body: bodyOf(answer.body, answer.isBase64Encoded === true) };
}

// ---- HTTP APIs and function URLs, payload format 2.0 ----

export interface V2Context {
  routeKey: string;
  pathParameters?: Record<string, string>;
  stage: string;
  apiId: string;
  domainName: string;
  accountId: string;
  /** For an AWS_IAM function URL: the caller the signature names. */
  iam?: { accessKey: string; accountId: string; userArn: string };
}

/**
 * The 2.0 event: repeated headers and query parameters are joined with commas, cookies move to
 * their own list, and header names are lower-case.
 */
export function httpApiV2Event(request: HttpRequestInfo, context: V2Context): Record<string, unknown> {
  const cookies = request.headers
    .filter(([name]) => name.toLowerCase() === 'cookie')
    .flatMap(([, value]) => value.split(';').map((cookie) => cookie.trim()))
    .filter(Boolean);
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    const lower = name.toLowerCase();
    if (lower === 'cookie') continue;
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of queryPairs(request.rawQuery, true))
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const time = request.receivedAt;
  return {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQuery,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      ...(context.iam
        ? {
            authorizer: {
              iam: {
                accessKey: context.iam.accessKey,
                accountId: context.iam.accountId,
                callerId: context.iam.accessKey,
                userArn: context.iam.userArn,
                userId: context.iam.accessKey,
              },
            },
          }
        : {}),
      domainName: context.domainName,
      domainPrefix: context.domainName.split('.')[0],
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: header(request, 'user-agent') ?? '',
      },
      requestId: randomUUID(),
      routeKey: context.routeKey,
      stage: context.stage,
      time: formatRequestTime(time),
      timeEpoch: time.getTime(),
    },
    ...(context.pathParameters && Object.keys(context.pathParameters).length > 0 ? { pathParameters: context.pathParameters } : {}),
    ...encodedBody(request),
  };
}

/**
 * Turns an answer to a 2.0 event into HTTP. An object with statusCode is read field by field; any
 * other JSON becomes a 200 with content-type application/json whose body is that JSON (a string
 * answer becomes the body as it is).
 */
export function httpApiV2Response(payload: string): HttpResponseInfo {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return { statusCode: 502, headers: [['content-type', 'application/json']], body: Buffer.from('{"message":"Internal Server Error"}') };
  }
  const answer = result as {
    statusCode?: unknown;
    headers?: Record<string, unknown>;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  } | null;
  if (answer && typeof answer === 'object' && !Array.isArray(answer) && typeof answer.statusCode === 'number') {
    const headers: Array<[string, string]> = Object.entries(answer.headers ?? {}).map(([name, value]) => [name, String(value)]);
    if (Array.isArray(answer.cookies)) for (const cookie of answer.cookies) headers.push(['set-cookie', String(cookie)]);
    return { statusCode: answer.statusCode, headers, body: bodyOf(answer.body, answer.isBase64Encoded === true) };
  }
  const body = typeof result === 'string' ? result : payload;
  return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(body) };
}

function bodyOf(body: unknown, base64: boolean): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return base64 ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's requestContext.time: 12/Mar/2020:19:03:58 +0000. */
function formatRequestTime(time: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(time.getUTCDate())}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}:${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())} +0000`;
}

/** Matches a request path against a route path with {name} and {proxy+} parameters. */
export function matchRoutePath(routePath: string, requestPath: string): Record<string, string> | undefined {
  const routeParts = routePath.split('/').filter(Boolean);
  const requestParts = requestPath.split('/').filter(Boolean);
  const parameters: Record<string, string> = {};
  for (let index = 0; index < routeParts.length; index += 1) {
    const part = routeParts[index]!;
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy) {
      if (index !== routeParts.length - 1 || requestParts.length <= index) return undefined;
      parameters[greedy[1]!] = requestParts.slice(index).map(safeDecode).join('/');
      return parameters;
    }
    const value = requestParts[index];
    if (value === undefined) return undefined;
    const named = /^\{(\w+)\}$/.exec(part);
    if (named) parameters[named[1]!] = safeDecode(value);
    else if (part !== value) return undefined;
  }
  return requestParts.length === routeParts.length ? parameters : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
