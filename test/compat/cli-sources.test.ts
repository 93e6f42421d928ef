import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliEnvironment, startServe, type ServeProcess } from '../support/serve-process.js';
import { copyFixture } from '../support/workbench.js';

// The CLI's event source actions against a running `serve`, as a user types them in a second
// terminal: each reaches its function in a container, and a mistyped name fails.
const run = promisify(execFile);
const home = mkdtempSync(path.join(os.tmpdir(), 'lwb-cli-sources-'));
const templatePath = copyFixture('triggers');
let serve: ServeProcess;

const cli = async (...args: string[]): Promise<string> =>
  (await run(process.execPath, [CLI, ...args, '--template', templatePath], { env: cliEnvironment(home) })).stdout;

/** Runs a CLI command that must fail, and returns what it printed. */
async function cliError(...args: string[]): Promise<string> {
  try {
    await cli(...args);
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    expect(failure.code).toBe(1);
    return failure.stderr;
  }
  throw new Error(`lambda-workbench ${args.join(' ')} succeeded`);
}

/** Waits until the function's log contains the text. */
async function logOf(functionName: string, text: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  let log = '';
  while (Date.now() < deadline) {
    log = await cli('logs', functionName);
    if (log.includes(text)) return log;
    await sleep(250);
  }
  return log;
}

beforeAll(async () => {
  serve = await startServe(templatePath, home);
}, 120_000);

afterAll(async () => {
  expect(await serve.stop()).toBe(0);
});

describe('CLI event source actions', () => {
  it('puts an object by bucket name or logical id', async () => {
    const file = path.join(home, 'cat.jpg');
    writeFileSync(file, 'not a jpeg');
    await cli('s3', 'put', 'Photos', 'cli/cat.jpg', file);
    expect(await logOf('Resizer', 'cli/cat.jpg')).toContain('cli/cat.jpg');
  });

  it('sends, publishes and puts events', async () => {
    expect(JSON.parse(await cli('queue', 'send', 'Jobs', 'from-the-cli'))).toHaveProperty('MessageId');
    // Worker reports the first two messages of a batch as failed, so this one waits to be retried.
    expect(await logOf('Worker', 'START RequestId')).toContain('START RequestId');
    const peeked = JSON.parse(await cli('queue', 'receive', 'Jobs', '--peek')) as {
      Messages: Array<{ Body: string; Attributes: Record<string, string> }>;
    };
    expect(peeked.Messages).toMatchObject([{ Body: 'from-the-cli', Attributes: { ApproximateReceiveCount: '1' } }]);
    await cli('publish', 'Alerts', 'cli alert', '--subject', 'Heads up');
    expect(await logOf('Notifier', 'cli alert')).toContain('Heads up');
    await cli('put-event', '--source', 'shop.cli', '--detail-type', 'Order', '--detail', '{"id": "cli-order", "total": 500}');
    expect(await logOf('BigOrders', 'cli-order')).toContain('shop.cli');
  }, 60_000);

  it('rejects names not in the template', async () => {
    expect(await cliError('queue', 'send', 'NoSuchQueue', 'x')).toContain(
      'Queue NoSuchQueue is not in the template; queues: Jobs, FailedJobs.',
    );
    expect(await cliError('publish', 'NoTopic', 'x')).toContain('Topic NoTopic is not in the template; topics: Alerts.');
    expect(await cliError('put-event', '--bus', 'nosuch', '--source', 'a', '--detail-type', 'b')).toContain(
      'Event bus nosuch is not in the template; event buses: default.',
    );
    expect(await cliError('s3', 'put', 'nobucket', 'k', templatePath)).toContain(
      'Bucket nobucket is not in the template; buckets: photos.',
    );
    expect(JSON.parse(await cli('queue', 'list')).queues.map((queue: { name: string }) => queue.name)).not.toContain('NoSuchQueue');
  });
});
