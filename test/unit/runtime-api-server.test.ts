import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeApiServer, type NextWaiter, type RuntimeApiHandler, type RuntimeReply } from '../../main/runtime-api/server.js';

const servers: RuntimeApiServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Creates a handler that records what the server passes on and replies as given. */
function recordingHandler(reply: RuntimeReply = { status: 202 }) {
  const calls: Array<{ kind: string; requestId?: string; errorType?: string; payload?: string; size?: number }> = [];
  const waiters: NextWaiter[] = [];
  const handler: RuntimeApiHandler = {
    next: (waiter) => waiters.push(waiter),
    response: (requestId, payload, size) => (calls.push({ kind: 'response', requestId, payload: payload.toString(), size }), reply),
    error: (requestId, errorType, payload) => (calls.push({ kind: 'error', requestId, errorType, payload: payload.toString() }), reply),
    initError: (errorType, payload) => (calls.push({ kind: 'initError', errorType, payload: payload.toString() }), reply),
  };
  return { handler, calls, waiters };
}

async function start(handler: RuntimeApiHandler): Promise<string> {
  const server = await RuntimeApiServer.listen('127.0.0.1', handler);
  servers.push(server);
  return `http://127.0.0.1:${server.port}/2018-06-01/runtime`;
}

describe('Runtime API server', () => {
  it('next waits for an invocation', async () => {
    const { handler, waiters } = recordingHandler();
    const base = await start(handler);
    const pending = fetch(`${base}/invocation/next`);
    await expect.poll(() => waiters.length).toBe(1);
    waiters[0]!.deliver({
      requestId: 'req-1',
      deadlineMs: 1_700_000_000_000,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      traceId: 'Root=1-abc',
      clientContext: '{"custom":{}}',
      cognitoIdentity: '{"cognitoIdentityId":"id"}',
      payload: Buffer.from('{"a":1}'),
    });
    const response = await pending;
    expect(response.status).toBe(200);
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('lambda-runtime')))).toEqual({
      'lambda-runtime-aws-request-id': 'req-1',
      'lambda-runtime-deadline-ms': '1700000000000',
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:f',
      'lambda-runtime-trace-id': 'Root=1-abc',
      'lambda-runtime-client-context': '{"custom":{}}',
      'lambda-runtime-cognito-identity': '{"cognitoIdentityId":"id"}',
    });
    expect(await response.text()).toBe('{"a":1}');
  });

  it('marks a disconnected waiter', async () => {
    const { handler, waiters } = recordingHandler();
    const base = await start(handler);
    const controller = new AbortController();
    const pending = fetch(`${base}/invocation/next`, { signal: controller.signal }).catch(() => undefined);
    await expect.poll(() => waiters.length).toBe(1);
    controller.abort();
    await pending;
    await expect.poll(() => waiters[0]!.closed).toBe(true);
  });

  it('passes results on with 202', async () => {
    const { handler, calls } = recordingHandler();
    const base = await start(handler);
    const ok = await fetch(`${base}/invocation/req-1/response`, { method: 'POST', body: '"done"' });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toEqual({ status: 'OK' });
    await fetch(`${base}/invocation/req-2/error`, {
      method: 'POST',
      body: '{"errorType":"X"}',
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.X' },
    });
    await fetch(`${base}/init/error`, { method: 'POST', body: '{}', headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Init' } });
    expect(calls).toEqual([
      { kind: 'response', requestId: 'req-1', payload: '"done"', size: 6 },
      { kind: 'error', requestId: 'req-2', errorType: 'Runtime.X', payload: '{"errorType":"X"}' },
      { kind: 'initError', errorType: 'Runtime.Init', payload: '{}' },
    ]);
  });

  it('measures an oversized response', async () => {
    const { handler, calls } = recordingHandler({
      status: 413,
      errorType: 'RequestEntityTooLarge',
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).',
    });
    const base = await start(handler);
    const body = Buffer.alloc(7 * 1024 * 1024, 0x61);
    const response = await fetch(`${base}/invocation/req-1/response`, { method: 'POST', body });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errorMessage: 'Exceeded maximum allowed payload size (6291556 bytes).',
      errorType: 'RequestEntityTooLarge',
    });
    expect(calls[0]!.size).toBe(7 * 1024 * 1024);
    expect(calls[0]!.payload!.length).toBe(6_291_556);
  });

  it('returns 404 for unknown paths', async () => {
    const { handler } = recordingHandler();
    const base = await start(handler);
    const response = await fetch(`${base}/invocation/req-1/somewhere`, { method: 'POST', body: '' });
    expect(response.status).toBe(404);
  });
});

describe('output byte count', () => {
  it('passes the output byte count', async () => {
    const seen: Array<number | undefined> = [];
    const handler: RuntimeApiHandler = {
      next: () => undefined,
      response: (_id, _payload, _size, outputBytes) => (seen.push(outputBytes), { status: 202 }),
      error: (_id, _type, _payload, outputBytes) => (seen.push(outputBytes), { status: 202 }),
      initError: () => ({ status: 202 }),
    };
    const base = await start(handler);
    await fetch(`${base}/invocation/a/response`, { method: 'POST', body: '1', headers: { 'Lambda-Workbench-Output-Bytes': '1234' } });
    await fetch(`${base}/invocation/b/error`, { method: 'POST', body: '{}', headers: { 'Lambda-Workbench-Output-Bytes': '99' } });
    await fetch(`${base}/invocation/c/response`, { method: 'POST', body: '1' });
    await fetch(`${base}/invocation/d/response`, { method: 'POST', body: '1', headers: { 'Lambda-Workbench-Output-Bytes': 'lots' } });
    expect(seen).toEqual([1234, 99, undefined, undefined]);
  });
});
