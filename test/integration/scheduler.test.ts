import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateAliasCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let client: LambdaClient;
let templatePath: string;

beforeAll(async () => {
  templatePath = copyFixture('scheduler');
  workbench = await startWorkbench(templatePath, { timeScale: 60 });
  client = new LambdaClient({
    endpoint: workbench.baseUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    // Throttles must reach the test as they are, not be retried by the SDK.
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await workbench?.close();
});

const decode = (payload: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));

/** Waits until the queue contains `count` messages, or until the timeout. */
async function queueMessages(queue: string, count: number, timeoutMs = 20_000): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = workbench.engine.messaging.peekMessages(queue);
    if (messages.length >= count || Date.now() > deadline)
      return messages.map((message) => JSON.parse(message.body) as Record<string, unknown>);
    await sleep(100);
  }
}

/** START lines of a request in the function's log, with their times. */
function attemptsOf(functionName: string, requestId: string): number[] {
  return workbench.logs
    .query({ groupName: `/aws/lambda/${functionName}`, requestId })
    .filter((event) => event.message.startsWith('START RequestId:'))
    .map((event) => event.timestampMs);
}

describe('scheduler against real containers', () => {
  it('throttles calls over reserved concurrency', async () => {
    const calls = await Promise.allSettled(
      Array.from({ length: 20 }, () => client.send(new InvokeCommand({ FunctionName: 'Slow', Payload: Buffer.from('{"ms":1000}') }))),
    );
    const succeeded = calls.filter((call) => call.status === 'fulfilled');
    const throttled = calls.filter((call): call is PromiseRejectedResult => call.status === 'rejected');
    expect(succeeded).toHaveLength(5);
    expect(throttled).toHaveLength(15);
    for (const failure of throttled) {
      expect(failure.reason).toBeInstanceOf(TooManyRequestsException);
      expect((failure.reason as TooManyRequestsException).Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
      expect((failure.reason as TooManyRequestsException).$metadata.httpStatusCode).toBe(429);
    }
    const intervals = succeeded.map(
      (call) => decode((call as PromiseFulfilledResult<{ Payload?: Uint8Array }>).value.Payload) as { start: number; end: number },
    );
    const overlapAtLastStart = intervals.filter(
      (interval) =>
        interval.start <= Math.max(...intervals.map((i) => i.start)) && interval.end >= Math.max(...intervals.map((i) => i.start)),
    ).length;
    expect(overlapAtLastStart).toBe(5);
    expect(workbench.engine.metrics.totals('Slow').throttles).toBe(15);
    expect(workbench.engine.metrics.totals('Slow').invocations).toBe(5);
  });

  it('retries a failing event twice, then sends RetriesExhausted', async () => {
    const accepted = await client.send(
      new InvokeCommand({ FunctionName: 'AlwaysFails', InvocationType: 'Event', Payload: Buffer.from('{"order":1}') }),
    );
    expect(accepted.StatusCode).toBe(202);
    const requestId = accepted.$metadata.requestId!;
    const [record] = (await queueMessages('failures', 1)).filter(
      (message) => (message.requestContext as { requestId: string }).requestId === requestId,
    );
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: {
        requestId,
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:AlwaysFails:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { order: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'always fails' },
    });
    const starts = attemptsOf('AlwaysFails', requestId);
    expect(starts).toHaveLength(3);
    // One and two minutes on Lambda, at time scale 60.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(950);
    expect(starts[1]! - starts[0]!).toBeLessThan(1_600);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(1_950);
    expect(starts[2]! - starts[1]!).toBeLessThan(2_600);
  });

  it('runs once with MaximumRetryAttempts 0', async () => {
    await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'FailsWithoutRetry',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:no-retry-failures' } },
      }),
    );
    expect(readFileSync(templatePath, 'utf8')).toMatch(/FailsWithoutRetry:[\s\S]*EventInvokeConfig:\n\s+MaximumRetryAttempts: 0/);
    const accepted = await client.send(
      new InvokeCommand({ FunctionName: 'FailsWithoutRetry', InvocationType: 'Event', Payload: Buffer.from('{}') }),
    );
    const [record] = await queueMessages('no-retry-failures', 1);
    expect(record).toMatchObject({
      requestContext: { requestId: accepted.$metadata.requestId, condition: 'RetriesExhausted', approximateInvokeCount: 1 },
    });
    await sleep(1_500);
    expect(attemptsOf('FailsWithoutRetry', accepted.$metadata.requestId!)).toHaveLength(1);
  });

  it('drops an event past its maximum age without running it', async () => {
    const accepted = await client.send(
      new InvokeCommand({ FunctionName: 'Starved', InvocationType: 'Event', Payload: Buffer.from('{"late":true}') }),
    );
    const requestId = accepted.$metadata.requestId!;
    const deadline = Date.now() + 15_000;
    let record: Record<string, unknown> | undefined;
    while (!record && Date.now() < deadline) {
      record = workbench.engine.messaging
        .peekMessages('failures')
        .map((message) => JSON.parse(message.body) as Record<string, unknown>)
        .find((message) => (message.requestContext as { requestId: string }).requestId === requestId);
      await sleep(100);
    }
    expect(record).toMatchObject({
      requestContext: { requestId, condition: 'EventAgeExceeded', approximateInvokeCount: 0 },
      requestPayload: { late: true },
    });
    expect(record).not.toHaveProperty('responsePayload');
    expect(attemptsOf('Starved', requestId)).toEqual([]);
  });

  it('routes an alias 90/10 between two versions', async () => {
    const first = await client.send(new PublishVersionCommand({ FunctionName: 'Versioned', Description: 'first' }));
    expect(first.Version).toBe('1');
    const again = await client.send(new PublishVersionCommand({ FunctionName: 'Versioned' }));
    expect(again.Version).toBe('1');
    workbench.workbench.workspace.edit([{ logicalId: 'Versioned', path: ['Environment', 'Variables', 'MARK'], value: 'second' }]);
    const second = await client.send(new PublishVersionCommand({ FunctionName: 'Versioned', Description: 'second' }));
    expect(second.Version).toBe('2');
    await client.send(
      new CreateAliasCommand({
        FunctionName: 'Versioned',
        Name: 'canary',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      }),
    );

    const counts: Record<string, number> = {};
    for (let i = 0; i < 1_000; i += 1) {
      const response = await workbench.invoke('Versioned:canary', {});
      const executed = response.headers.get('x-amz-executed-version')!;
      const body = response.json() as { mark: string; version: string };
      expect(body.version).toBe(executed);
      expect(body.mark).toBe(executed === '1' ? 'first' : 'second');
      counts[executed] = (counts[executed] ?? 0) + 1;
    }
    expect(counts['2']! / 1_000).toBeGreaterThanOrEqual(0.07);
    expect(counts['2']! / 1_000).toBeLessThanOrEqual(0.13);
    expect(counts['1']! + counts['2']!).toBe(1_000);
  });

  it('serves a provisioned alias without Init Duration', async () => {
    const deadline = Date.now() + 30_000;
    let status: string | undefined;
    while (status !== 'READY' && Date.now() < deadline) {
      status = (await client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'Warm', Qualifier: 'live' }))).Status;
      if (status !== 'READY') await sleep(100);
    }
    expect(status).toBe('READY');
    for (const attempt of [1, 2]) {
      const result = await client.send(
        new InvokeCommand({
          FunctionName: 'Warm',
          Qualifier: 'live',
          LogType: 'Tail',
          Payload: Buffer.from(`{"attempt":${attempt},"ms":0}`),
        }),
      );
      expect(result.ExecutedVersion).toBe('1');
      const log = Buffer.from(result.LogResult!, 'base64').toString('utf8');
      expect(log).toMatch(/REPORT RequestId: /);
      expect(log).not.toContain('Init Duration');
    }
  });
});
