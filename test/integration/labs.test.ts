import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LabGallery } from '../../main/app/lab-gallery.js';
import { EventSources } from '../../main/engine/event-sources/event-sources.js';
import { createLogger } from '../../main/logging.js';
import { request, signedHeaders } from '../support/http.js';
import { startWorkbench, TEST_ACCOUNT, type TestWorkbench } from '../support/workbench.js';

// Every lab of the gallery, opened as the console opens it (a working copy) and run offline in
// real containers along the path its guide teaches.

const gallery = new LabGallery(path.resolve('resources/labs'), mkdtempSync(path.join(os.tmpdir(), 'lwb-labs-')));
let open: { workbench: TestWorkbench; sources: EventSources } | undefined;

async function openLab(id: string): Promise<{ workbench: TestWorkbench; sources: EventSources }> {
  const template = gallery.prepare(id);
  const workbench = await startWorkbench(template, { timeScale: 60 });
  const sources = new EventSources(workbench.engine, {
    dataDir: workbench.workbench.dataDir,
    workspaceKey: workbench.workbench.key,
    logger: createLogger('warn'),
  });
  await sources.apply(workbench.workbench.workspace.current.triggers);
  open = { workbench, sources };
  return open;
}

afterEach(async () => {
  await open?.sources.close();
  await open?.workbench.close();
  open = undefined;
});

function logLines(workbench: TestWorkbench, functionName: string, contains: string): string[] {
  // Console lines carry a timestamp, the request id and the level before the text.
  return workbench.logs
    .query({ groupName: `/aws/lambda/${functionName}`, contains, limit: 1_000 })
    .map((line) => line.message.slice(line.message.indexOf(contains)).trim());
}

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (done(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the lab gallery', () => {
  it('lists seven labs with guides', () => {
    expect(gallery.list().map((lab) => lab.id)).toEqual([
      's3-to-lambda',
      'eventbridge',
      'lambda-to-sqs',
      'lambda-to-sns',
      'alb-to-lambda',
      'sqs-partial-batch',
      'function-url-iam',
    ]);
    for (const lab of gallery.list()) expect(gallery.guideBeside(gallery.prepare(lab.id))).toMatch(/^# /);
    expect(() => gallery.prepare('no-such-lab')).toThrow(/There is no lab no-such-lab; choose one of: s3-to-lambda/);
  });

  it('keeps the working copy', () => {
    const template = gallery.prepare('s3-to-lambda');
    const edited = `${readFileSync(template, 'utf8')}# edited\n`;
    rmSync(path.join(path.dirname(template), 'guide.md'));
    expect(gallery.guideBeside(template)).toBeNull();
    writeFileSync(template, edited);
    expect(readFileSync(gallery.prepare('s3-to-lambda'), 'utf8')).toBe(edited);
    // Starting over brings the shipped lab back.
    expect(readFileSync(gallery.prepare('s3-to-lambda', true), 'utf8')).toBe(
      readFileSync('resources/labs/s3-to-lambda/template.yaml', 'utf8'),
    );
    expect(gallery.guideBeside(template)).toMatch(/^# S3 to Lambda/);
  });
});

describe('each lab runs offline', () => {
  it('S3 to Lambda: suffix filter', async () => {
    const { workbench, sources } = await openLab('s3-to-lambda');
    sources.buckets.putObject('workshop-uploads', 'photos/my cat.jpg', Buffer.from('not really a jpeg'));
    sources.buckets.putObject('workshop-uploads', 'photos/notes.txt', Buffer.from('text'));
    const lines = await until(
      () => logLines(workbench, 'DescribeUpload', 'ObjectCreated'),
      (found) => found.length >= 1,
    );
    expect(lines[0]).toContain('ObjectCreated:Put: s3://workshop-uploads/photos/my cat.jpg (17 bytes');
    expect(lines[0]).toContain('key as sent: photos/my+cat.jpg');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(logLines(workbench, 'DescribeUpload', 'ObjectCreated')).toHaveLength(1);
  }, 60_000);

  it('EventBridge: schedule and pattern', async () => {
    const { workbench, sources } = await openLab('eventbridge');
    sources.putEvents('default', [
      { source: 'shop.berlin', detailType: 'OrderPlaced', detail: { total: 250 } },
      { source: 'shop.berlin', detailType: 'OrderPlaced', detail: { total: 20 } },
      { source: 'warehouse.berlin', detailType: 'OrderPlaced', detail: { total: 900 } },
    ]);
    const large = await until(
      () => logLines(workbench, 'LargeOrders', 'Large order'),
      (found) => found.length >= 1,
    );
    expect(large[0]).toContain('Large order from shop.berlin: total 250');
    // rate(1 minute) at time scale 60 fires about once a second.
    const beats = await until(
      () => logLines(workbench, 'Heartbeat', 'Scheduled Event from aws.events'),
      (found) => found.length >= 2,
    );
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(logLines(workbench, 'LargeOrders', 'Large order')).toHaveLength(1);
  }, 60_000);

  it('Lambda to SQS: both destinations', async () => {
    const { workbench } = await openLab('lambda-to-sqs');
    workbench.engine.acceptAsync('ProcessOrder', Buffer.from(JSON.stringify({ orderId: 'A-1', total: 30 })));
    workbench.engine.acceptAsync('ProcessOrder', Buffer.from(JSON.stringify({ orderId: 'A-2', total: -1 })));
    const messaging = workbench.engine.messaging;
    await until(
      () => messaging.peekMessages('ProcessedOrders').length + messaging.peekMessages('FailedOrders').length,
      (count) => count >= 2,
    );
    const success = JSON.parse(messaging.peekMessages('ProcessedOrders')[0]!.body);
    const failure = JSON.parse(messaging.peekMessages('FailedOrders')[0]!.body);
    expect(success).toMatchObject({ requestContext: { condition: 'Success' }, responsePayload: { orderId: 'A-1', status: 'processed' } });
    expect(failure).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 },
      requestPayload: { orderId: 'A-2' },
      responsePayload: { errorMessage: 'Order A-2 has no positive total' },
    });
  }, 60_000);

  it('Lambda to SNS: subscriber runs', async () => {
    const { workbench } = await openLab('lambda-to-sns');
    workbench.engine.acceptAsync('ScoreQuiz', Buffer.from(JSON.stringify({ student: 'Ada', answers: [true, true, false] })));
    const lines = await until(
      () => logLines(workbench, 'AnnounceResult', 'Result:'),
      (found) => found.length >= 1,
    );
    expect(lines[0]).toContain('Result: Ada scored 2 of 3');
  }, 60_000);

  it('ALB to Lambda: multi-value headers and cookies', async () => {
    const { sources } = await openLab('alb-to-lambda');
    const listener = sources.endpoints().find((endpoint) => endpoint.kind === 'alb')!;
    const response = await request(`${listener.url}hello?name=Ada&name=Grace`, {
      headers: [
        ['X-Team', 'red'],
        ['X-Team', 'blue'],
      ],
    });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('Hello, Ada and Grace of team red, blue!\n');
    expect(response.headers['set-cookie']).toEqual(['visited=yes', 'lab=alb']);
  }, 60_000);

  it('SQS partial batch: failures reach the DLQ', async () => {
    const { workbench, sources } = await openLab('sqs-partial-batch');
    for (const body of ['task 1', 'task 2', 'task 3 fail', 'task 4']) sources.sendMessage('Tasks', body);
    const dead = await until(
      () => workbench.engine.messaging.peekMessages('FailedTasks'),
      (found) => found.length >= 1,
      60_000,
    );
    expect(dead.map((message) => message.body)).toEqual(['task 3 fail']);
    expect(logLines(workbench, 'RunTasks', 'Ran "').sort()).toEqual(['Ran "task 1"', 'Ran "task 2"', 'Ran "task 4"']);
    expect(logLines(workbench, 'RunTasks', 'Could not run')).toHaveLength(2);
  }, 90_000);

  it('function URL: IAM signature checked', async () => {
    const { sources } = await openLab('function-url-iam');
    const url = `${sources.endpoints().find((endpoint) => endpoint.kind === 'url')!.url}hello`;
    expect((await request(url)).status).toBe(403);
    const { accessKeyId, secretAccessKey } = TEST_ACCOUNT.credentials;
    const signed = await request(url, { headers: await signedHeaders(url, accessKeyId, secretAccessKey) });
    expect(signed.status).toBe(200);
    expect(JSON.parse(signed.body.toString('utf8'))).toMatchObject({
      path: '/hello',
      caller: { accessKey: accessKeyId, accountId: TEST_ACCOUNT.accountId },
    });
  }, 60_000);
});
