import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventSources } from '../../main/engine/event-sources/event-sources.js';
import { createLogger } from '../../main/logging.js';
import { CURL, curl, signedHeaders } from '../support/http.js';
import { toolAvailable } from '../support/required-tools.js';
import { copyFixture, startWorkbench, TEST_ACCOUNT, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let sources: EventSources;

/** The JSON that a function logged after a marker (EVENT or PROCESSED), one entry per log line. */
function logged(functionName: string, marker: string): unknown[] {
  return workbench.logs
    .query({ groupName: `/aws/lambda/${functionName}`, contains: `${marker} `, limit: 100_000 })
    .map((line) => line.message.slice(line.message.indexOf(`${marker} `) + marker.length + 1))
    .map((text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text;
      }
    });
}

async function until<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  workbench = await startWorkbench(copyFixture('triggers'), { timeScale: 60 });
  sources = new EventSources(workbench.engine, {
    dataDir: workbench.workbench.dataDir,
    workspaceKey: workbench.workbench.key,
    logger: createLogger('warn'),
  });
  await sources.apply(workbench.workbench.workspace.current.triggers);
}, 120_000);

afterAll(async () => {
  await sources?.close();
  await workbench?.close();
});

describe('S3 buckets as folders', () => {
  it('invokes once for a .jpg dropped into the folder, never for a .txt', async () => {
    const folder = sources.buckets.folderOf('photos');
    writeFileSync(path.join(folder, 'my cat.jpg'), 'jpg');
    writeFileSync(path.join(folder, 'notes.txt'), 'text');
    const events = await until(
      () =>
        logged('Resizer', 'EVENT') as Array<{
          Records: Array<{ eventName: string; s3: { object: { key: string; size: number; eTag: string } } }>;
        }>,
      (found) => found.length >= 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(logged('Resizer', 'EVENT')).toHaveLength(1);
    const record = events[0]!.Records[0]!;
    expect(record.eventName).toBe('ObjectCreated:Put');
    expect(record.s3.object).toMatchObject({ key: 'my+cat.jpg', size: 3, eTag: createHash('md5').update('jpg').digest('hex') });
  });
});

describe('SQS event source mapping', () => {
  it('processes 100 messages with partial batch failures, and dead-letters the ones that keep failing', async () => {
    for (let index = 0; index < 100; index += 1) sources.sendMessage('Jobs', `message-${index}`);
    await until(
      () => workbench.engine.messaging.queueDepth('Jobs'),
      (depth) => depth.visible + depth.inFlight === 0,
      90_000,
    );
    const processed = logged('Worker', 'PROCESSED') as string[];
    const deadLettered = workbench.engine.messaging.peekMessages('FailedJobs').map((message) => message.body);
    // Each message either succeeded once or ended in the dead-letter queue: none lost, none twice.
    expect(new Set(processed).size).toBe(processed.length);
    expect(processed.filter((body) => deadLettered.includes(body))).toEqual([]);
    expect(new Set([...processed, ...deadLettered]).size).toBe(100);
    expect(deadLettered.length).toBeGreaterThan(0);
    expect(processed.length).toBeGreaterThan(50);
  }, 120_000);
});

describe('SNS and EventBridge', () => {
  it('delivers a published message to the subscribed function', async () => {
    sources.publish('Alerts', 'disk almost full', 'Warning', { severity: { DataType: 'String', StringValue: 'high' } });
    const events = await until(
      () => logged('Notifier', 'EVENT') as Array<{ Records: Array<{ Sns: Record<string, unknown> }> }>,
      (found) => found.length >= 1,
    );
    expect(events[0]!.Records[0]!.Sns).toMatchObject({
      Message: 'disk almost full',
      Subject: 'Warning',
      MessageAttributes: { severity: { Type: 'String', Value: 'high' } },
    });
  });

  it('runs a rule for exactly the events its pattern selects', async () => {
    sources.putEvents('default', [
      { source: 'shop.north', detailType: 'Order', detail: { id: 'a', total: 150 } },
      { source: 'shop.south', detailType: 'Order', detail: { id: 'b', total: 50 } },
      { source: 'warehouse', detailType: 'Order', detail: { id: 'c', total: 500 } },
      { source: 'shop.east', detailType: 'Order', detail: { id: 'd', total: 100 } },
    ]);
    const events = await until(
      () => logged('BigOrders', 'EVENT') as Array<{ detail: { id: string } }>,
      (found) => found.length >= 2,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((logged('BigOrders', 'EVENT') as Array<{ detail: { id: string } }>).map((event) => event.detail.id).sort()).toEqual(['a', 'd']);
    expect(events[0]).toMatchObject({ 'detail-type': 'Order', account: '123456789012', region: 'us-east-1' });
  });

  it('fires rate(1 minute) about once a second at time scale 60', async () => {
    const before = logged('Ticker', 'EVENT').length;
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const fired = logged('Ticker', 'EVENT').length - before;
    expect(fired).toBeGreaterThanOrEqual(2);
    expect(fired).toBeLessThanOrEqual(6);
    expect(logged('Ticker', 'EVENT')[0]).toMatchObject({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
  });
});

// Through the curl program, as a user calls them; the 200 is signed with the AWS SDK's SigV4 signer.
describe.runIf(toolAvailable(CURL, 'curl'))('HTTP front ends through curl', () => {
  const endpoint = (kind: string): string => sources.endpoints().find((entry) => entry.kind === kind)!.url;

  it('refuses an unsigned request to an AWS_IAM function URL, and answers a signed one', async () => {
    const url = endpoint('url');
    expect((await curl(url)).status).toBe(403);
    expect((await curl(url, await signedHeaders(url, TEST_ACCOUNT.credentials.accessKeyId, 'not-the-secret'))).status).toBe(403);
    const response = await curl(
      url,
      await signedHeaders(url, TEST_ACCOUNT.credentials.accessKeyId, TEST_ACCOUNT.credentials.secretAccessKey),
    );
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({ path: '/', text: 'grüße, 世界' });
  });

  it('sends a binary PNG through the function URL', async () => {
    const url = `${endpoint('url')}png`;
    const response = await curl(
      url,
      await signedHeaders(url, TEST_ACCOUNT.credentials.accessKeyId, TEST_ACCOUNT.credentials.secretAccessKey),
    );
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.body.subarray(1, 4).toString('latin1')).toBe('PNG');
  });

  it('passes multi-value headers and cookies through the load balancer', async () => {
    const response = await curl(`${endpoint('alb')}orders?x=1&x=2`, [
      ['Accept', 'text/plain'],
      ['Accept', 'application/json'],
    ]);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({
      path: '/orders',
      accept: ['text/plain', 'application/json'],
      text: 'grüße, 世界',
    });
    expect(response.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const png = await curl(`${endpoint('alb')}png`);
    expect(png.body.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
