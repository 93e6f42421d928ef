import type http from 'node:http';
import type { EventSources } from '../engine/event-sources/event-sources.js';
import type { LambdaEngine } from '../engine/engine.js';
import type { FunctionConfig } from '../core/template/function-config.js';
import type { Logger } from '../logging.js';
import { LambdaApiError } from './errors.js';
import { parseFunctionName, type FunctionReference } from './function-name.js';

export interface LambdaApiContext {
  engine: LambdaEngine;
  logger: Logger;
  /** The running event sources, where the API serves them (serve, the console); not in tests of the API alone. */
  sources?: EventSources;
}

/** Everything a route handler gets for one request. */
export interface RouteCall {
  context: LambdaApiContext;
  request: http.IncomingMessage;
  response: http.ServerResponse;
  match: RegExpExecArray;
  url: URL;
  requestId: string;
}

export interface Route {
  method: string;
  pattern: RegExp;
  handle(call: RouteCall): Promise<void>;
}

/** Reads the FunctionName path parameter and the Qualifier query parameter, and finds the function. */
export function functionOf(call: RouteCall): { reference: FunctionReference; fn: FunctionConfig } {
  const reference = parseFunctionName(decodeURIComponent(call.match[1]!), call.url.searchParams.get('Qualifier') ?? undefined);
  const fn = call.context.engine.resolveTarget(reference.name).config;
  return { reference, fn };
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

export function sendEmpty(response: http.ServerResponse, status: number, requestId: string): void {
  response.writeHead(status, { 'x-amzn-RequestId': requestId, 'Content-Length': 0 });
  response.end();
}

/** Reads a JSON request body of at most `limit` bytes; an empty body reads as {}. */
export async function readJsonBody(request: http.IncomingMessage, limit = 256 * 1024): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new LambdaApiError(413, 'RequestEntityTooLargeException', `Request must be smaller than ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new LambdaApiError(
      400,
      'InvalidRequestContentException',
      'Could not parse request body into json: the body must be a JSON object.',
    );
  }
}
