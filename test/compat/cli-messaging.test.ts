import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnvironment, startServe, type ServeProcess } from '../support/serve-process.js';
import { copyFixture } from '../support/workbench.js';

const run = promisify(execFile);
const home = mkdtempSync(path.join(os.tmpdir(), 'lwb-cli-queue-'));
const templatePath = copyFixture('scheduler');
let serve: ServeProcess;

const cli = async (...args: string[]): Promise<string> =>
  (await run(process.execPath, [CLI, ...args, '--template', templatePath], { env: cliEnvironment(home) })).stdout;

beforeAll(async () => {
  serve = await startServe(templatePath, home, ['--time-scale', '60']);
});

afterAll(async () => {
  expect(await serve.stop()).toBe(0);
});

describe('CLI for queues and metrics', () => {
  it('reads a failure record from the queue', async () => {
    const response = await fetch(`${serve.endpoint}/2015-03-31/functions/AlwaysFails/invocations`, {
      method: 'POST',
      headers: { 'X-Amz-Invocation-Type': 'Event' },
      body: '{"from":"cli"}',
    });
    const requestId = response.headers.get('x-amzn-requestid');
    let listing: { queues: Array<{ name: string; messages: number }> } = { queues: [] };
    const deadline = Date.now() + 20_000;
    while (!listing.queues.some((queue) => queue.name === 'failures' && queue.messages > 0) && Date.now() < deadline) {
      await sleep(250);
      listing = JSON.parse(await cli('queue', 'list'));
    }
    expect(listing.queues.find((queue) => queue.name === 'failures')?.messages).toBe(1);
    expect(listing.queues.map((queue) => queue.name)).not.toContain('https://sqs.us-east-1.amazonaws.com/123456789012/failures');

    const received = JSON.parse(await cli('queue', 'receive', 'failures', '--delete')) as {
      Messages: Array<{ Body: string; Attributes: Record<string, string> }>;
    };
    expect(received.Messages).toHaveLength(1);
    expect(received.Messages[0]!.Attributes.ApproximateReceiveCount).toBe('1');
    expect(JSON.parse(received.Messages[0]!.Body)).toMatchObject({
      requestContext: { requestId, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { from: 'cli' },
    });
    expect(JSON.parse(await cli('queue', 'receive', 'failures', '--peek')).Messages).toEqual([]);
  });

  it('prints metrics per minute', async () => {
    await sleep(1_200);
    const output = await cli('metrics', 'AlwaysFails');
    expect(output).toMatch(/^minute \(UTC\)\s+invocations\s+errors\s+throttles/);
    expect(output).toContain('total: 3 invocations, 3 errors, 0 throttles');
  });

  it('provisions again after a restart', async () => {
    const published = await fetch(`${serve.endpoint}/2015-03-31/functions/Echo/versions`, { method: 'POST', body: '{}' });
    expect(published.status).toBe(201);
    const provisioned = await fetch(`${serve.endpoint}/2019-09-30/functions/Echo/provisioned-concurrency?Qualifier=1`, {
      method: 'PUT',
      body: '{"ProvisionedConcurrentExecutions":1}',
    });
    expect(provisioned.status).toBe(202);
    expect(await serve.stop()).toBe(0);
    serve = await startServe(templatePath, home, ['--time-scale', '60']);
    const deadline = Date.now() + 20_000;
    let status = '';
    while (status !== 'READY' && Date.now() < deadline) {
      const response = await fetch(`${serve.endpoint}/2019-09-30/functions/Echo/provisioned-concurrency?Qualifier=1`);
      status = ((await response.json()) as { Status: string }).Status;
      if (status !== 'READY') await sleep(100);
    }
    expect(status).toBe('READY');
    const invoked = await fetch(`${serve.endpoint}/2015-03-31/functions/Echo/invocations?Qualifier=1`, {
      method: 'POST',
      body: '{}',
      headers: { 'X-Amz-Log-Type': 'Tail' },
    });
    const log = Buffer.from(invoked.headers.get('x-amz-log-result')!, 'base64').toString('utf8');
    expect(log).toContain('REPORT RequestId:');
    expect(log).not.toContain('Init Duration');
  });

  it('names the queues when one is unknown', async () => {
    const failure = await run(process.execPath, [CLI, 'queue', 'receive', 'nope', '--template', templatePath], {
      env: cliEnvironment(home),
    }).then(
      () => undefined,
      (error: { stderr: string; code: number }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/^Queue nope does not exist; queues: failures/);
  });
});
