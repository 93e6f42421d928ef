import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;

beforeAll(async () => {
  workbench = await startWorkbench(path.resolve('test/fixtures/behaviours/template.yaml'));
});

afterAll(async () => {
  await workbench?.close();
});

function expectLambdaError(
  response: { status: number; headers: Headers; json: () => unknown },
  status: number,
  type: string,
  message: string | RegExp,
): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('x-amzn-errortype')).toBe(type);
  expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  const body = response.json() as { Type: string; message: string };
  expect(body.Type).toBe(status >= 500 ? 'Service' : 'User');
  if (typeof message === 'string') expect(body.message).toBe(message);
  else expect(body.message).toMatch(message);
}

describe('Invoke API over HTTP', () => {
  it('rejects a payload over 6 MB', async () => {
    const payload = JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) });
    const response = await workbench.invoke('NodeOk', payload);
    expectLambdaError(
      response,
      413,
      'RequestEntityTooLargeException',
      'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    );
  });

  it('accepts a payload under 6 MB', async () => {
    const payload = JSON.stringify({ data: 'y'.repeat(6 * 1024 * 1024 - 100) });
    const response = await workbench.invoke('NodeNothing', payload);
    expect(response.status).toBe(200);
  });

  it('rejects malformed JSON', async () => {
    const response = await workbench.invoke('NodeOk', '{"unterminated": ');
    expectLambdaError(
      response,
      400,
      'InvalidRequestContentException',
      /^Could not parse request body into json: Could not parse payload into json: /,
    );
  });

  it('returns 404 for unknown functions', async () => {
    expectLambdaError(
      await workbench.invoke('NoSuchFunction'),
      404,
      'ResourceNotFoundException',
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:NoSuchFunction',
    );
    expectLambdaError(
      await workbench.invoke('NodeOk:7'),
      404,
      'ResourceNotFoundException',
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:NodeOk:7',
    );
  });

  it('accepts ARNs and $LATEST', async () => {
    for (const name of [
      'arn:aws:lambda:us-east-1:123456789012:function:NodeNothing',
      '123456789012:function:NodeNothing',
      'NodeNothing:$LATEST',
    ]) {
      const response = await workbench.invoke(name, {});
      expect(response.status, name).toBe(200);
      expect(response.text).toBe('null');
    }
  });

  it('rejects an unknown invocation type', async () => {
    const response = await workbench.invoke('NodeOk', {}, { 'X-Amz-Invocation-Type': 'Sometime' });
    expectLambdaError(response, 400, 'ValidationException', /Value 'Sometime' at 'invocationType' failed to satisfy constraint/);
  });

  it('DryRun returns 204 and runs nothing', async () => {
    const response = await workbench.invoke('NodeOk', {}, { 'X-Amz-Invocation-Type': 'DryRun' });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    const requestId = response.headers.get('x-amzn-requestid')!;
    await sleep(200);
    expect(workbench.logs.query({ groupName: '/aws/lambda/NodeOk', requestId })).toEqual([]);
  });

  it('Event returns 202, runs once', async () => {
    const response = await workbench.invoke('NodeOk', { async: true }, { 'X-Amz-Invocation-Type': 'Event' });
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
    const requestId = response.headers.get('x-amzn-requestid')!;
    let lines: string[] = [];
    for (let attempt = 0; attempt < 100 && !lines.some((line) => line.startsWith('REPORT')); attempt += 1) {
      await sleep(100);
      lines = workbench.logs.query({ groupName: '/aws/lambda/NodeOk', requestId }).map((event) => event.message);
    }
    expect(lines.filter((line) => line.startsWith('START'))).toHaveLength(1);
    expect(lines.some((line) => line.includes('event received {"async":true}'))).toBe(true);
  });

  it('rejects an Event payload over 1 MB', async () => {
    const payload = JSON.stringify({ data: 'z'.repeat(1024 * 1024) });
    const response = await workbench.invoke('NodeOk', payload, { 'X-Amz-Invocation-Type': 'Event' });
    expectLambdaError(
      response,
      413,
      'RequestEntityTooLargeException',
      `${Buffer.byteLength(payload)} byte payload is too large for the Event invocation type (limit 1048576 bytes)`,
    );
  });

  it('sends an empty payload as {}', async () => {
    const response = await workbench.invoke('NodeOk', '');
    expect((response.json() as { event: unknown }).event).toEqual({});
  });

  it('GetFunction and ListFunctions', async () => {
    const get = await fetch(`${workbench.baseUrl}/2015-03-31/functions/NodeOk`);
    expect(get.status).toBe(200);
    const described = (await get.json()) as { Configuration: Record<string, unknown>; Code: Record<string, unknown> };
    expect(described.Configuration).toMatchObject({
      FunctionName: 'NodeOk',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:NodeOk',
      Runtime: 'nodejs20.x',
      Handler: 'ok.handler',
      Timeout: 10,
      MemorySize: 512,
      Version: '$LATEST',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      Environment: { Variables: { FROM_GLOBALS: 'globals', OWN: 'own' } },
      State: 'Active',
    });
    expect(described.Configuration.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(described.Configuration.LastModified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    expect(described.Code.RepositoryType).toBe('S3');

    const page = (await (await fetch(`${workbench.baseUrl}/2015-03-31/functions/?MaxItems=5`)).json()) as {
      Functions: Array<{ FunctionName: string }>;
      NextMarker: string | null;
    };
    expect(page.Functions).toHaveLength(5);
    expect(page.NextMarker).toBeTruthy();
    const rest = (await (
      await fetch(`${workbench.baseUrl}/2015-03-31/functions/?Marker=${encodeURIComponent(page.NextMarker!)}&MaxItems=1000`)
    ).json()) as { Functions: Array<{ FunctionName: string }>; NextMarker: string | null };
    const names = [...page.Functions, ...rest.Functions].map((fn) => fn.FunctionName);
    expect(names).toEqual([...names].sort());
    expect(names).toHaveLength(workbench.engine.functions().length);
    expect(rest.NextMarker).toBeNull();
  });

  it('rejects an unknown path', async () => {
    const response = await fetch(`${workbench.baseUrl}/2099-01-01/teleport`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
  });
});
