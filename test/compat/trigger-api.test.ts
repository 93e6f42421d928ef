import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, startServe, type ServeProcess } from '../support/serve-process.js';
import { AWS_CLI, toolAvailable } from '../support/required-tools.js';
import { copyFixture } from '../support/workbench.js';

const run = promisify(execFile);
const hasCli = toolAvailable(AWS_CLI, 'AWS CLI v2');
const home = mkdtempSync(path.join(os.tmpdir(), 'lwb-trigger-api-'));
let serve: ServeProcess;
let template: string;

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', serve.endpoint, '--output', 'json', ...args], { env: cliEnvironment(home) });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

async function awsError(...args: string[]): Promise<string> {
  try {
    await aws(...args);
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error(`aws ${args.join(' ')} succeeded`);
}

beforeAll(async () => {
  if (!hasCli) return;
  template = copyFixture('triggers');
  serve = await startServe(template, home);
}, 120_000);

afterAll(async () => {
  if (serve) expect(await serve.stop()).toBe(0);
});

// Event source mappings, function URLs and permissions through the real AWS CLI.
describe.runIf(hasCli)('trigger operations through the AWS CLI', () => {
  const queueArn = 'arn:aws:sqs:us-east-1:123456789012:FailedJobs';

  it('creates, lists, disables and deletes an SQS event source mapping', async () => {
    const created = await aws(
      'lambda',
      'create-event-source-mapping',
      '--function-name',
      'Notifier',
      '--event-source-arn',
      queueArn,
      '--batch-size',
      '5',
    );
    expect(created).toMatchObject({ EventSourceArn: queueArn, BatchSize: 5, State: 'Creating' });
    expect(readFileSync(template, 'utf8')).toMatch(
      /Queue:\n\s+Type: SQS\n\s+Properties:\n\s+Queue: !GetAtt FailedJobs\.Arn\n\s+BatchSize: 5/,
    );
    const uuid = created.UUID as string;
    const listed = (await aws('lambda', 'list-event-source-mappings', '--function-name', 'Notifier')).EventSourceMappings as Array<{
      UUID: string;
    }>;
    expect(listed.map((mapping) => mapping.UUID)).toContain(uuid);
    const updated = await aws('lambda', 'update-event-source-mapping', '--uuid', uuid, '--no-enabled');
    expect(updated.State).toBe('Updating');
    expect((await aws('lambda', 'get-event-source-mapping', '--uuid', uuid)).State).toBe('Disabled');
    await aws('lambda', 'delete-event-source-mapping', '--uuid', uuid);
    expect(await awsError('lambda', 'get-event-source-mapping', '--uuid', uuid)).toContain('ResourceNotFoundException');
  });

  it('refuses a duplicate mapping and a large batch without a window', async () => {
    expect(
      await awsError(
        'lambda',
        'create-event-source-mapping',
        '--function-name',
        'Worker',
        '--event-source-arn',
        'arn:aws:sqs:us-east-1:123456789012:Jobs',
      ),
    ).toContain('ResourceConflictException');
    expect(
      await awsError(
        'lambda',
        'create-event-source-mapping',
        '--function-name',
        'Notifier',
        '--event-source-arn',
        queueArn,
        '--batch-size',
        '100',
      ),
    ).toContain('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
  });

  it('creates a function URL that answers over HTTP, then deletes it', async () => {
    const created = await aws('lambda', 'create-function-url-config', '--function-name', 'Notifier', '--auth-type', 'NONE');
    expect(created.FunctionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(readFileSync(template, 'utf8')).toMatch(/FunctionUrlConfig:\n\s+AuthType: NONE/);
    const response = await fetch(created.FunctionUrl as string, { method: 'POST', body: 'ping' });
    expect(response.status).toBe(200);
    expect(await awsError('lambda', 'create-function-url-config', '--function-name', 'Notifier', '--auth-type', 'NONE')).toContain(
      'ResourceConflictException',
    );
    await aws('lambda', 'delete-function-url-config', '--function-name', 'Notifier');
    expect(readFileSync(template, 'utf8')).not.toContain('AuthType: NONE');
  });

  it('adds, reads and removes permission statements', async () => {
    const added = await aws(
      'lambda',
      'add-permission',
      '--function-name',
      'Notifier',
      '--statement-id',
      'sns-invoke',
      '--action',
      'lambda:InvokeFunction',
      '--principal',
      'sns.amazonaws.com',
      '--source-arn',
      'arn:aws:sns:us-east-1:123456789012:Alerts',
    );
    expect(JSON.parse(added.Statement as string)).toMatchObject({
      Sid: 'sns-invoke',
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:sns:us-east-1:123456789012:Alerts' } },
    });
    expect(
      await awsError(
        'lambda',
        'add-permission',
        '--function-name',
        'Notifier',
        '--statement-id',
        'sns-invoke',
        '--action',
        'lambda:InvokeFunction',
        '--principal',
        'sns.amazonaws.com',
      ),
    ).toContain('ResourceConflictException');
    const policy = JSON.parse((await aws('lambda', 'get-policy', '--function-name', 'Notifier')).Policy as string) as {
      Statement: unknown[];
    };
    expect(policy.Statement).toHaveLength(1);
    await aws('lambda', 'remove-permission', '--function-name', 'Notifier', '--statement-id', 'sns-invoke');
    expect(await awsError('lambda', 'get-policy', '--function-name', 'Notifier')).toContain('ResourceNotFoundException');
  });

  it('prints where the HTTP front ends listen', () => {
    expect(serve.output()).toMatch(/Function URL of Web \(AWS_IAM\): http:\/\/127\.0\.0\.1:\d+\//);
    expect(serve.output()).toMatch(/Load balancer listener WebListener \(port 80\): http:\/\/127\.0\.0\.1:\d+\//);
  });
});
