import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkbenchApp } from '../../main/app/app.js';
import type { CanvasGraph } from '../../main/contract/types.js';
import { parseSettings } from '../../main/core/settings.js';
import { createLogger } from '../../main/logging.js';
import { openWorkbench, type Workbench } from '../../main/workbench.js';
import { COLUMN_WIDTH, layoutGraph } from '../../renderer/src/canvas-layout.js';
import { copyFixture, TEST_ACCOUNT } from '../support/workbench.js';

// The canvas's side of main, through the console contract, on a real template on disk; nothing
// here starts a container.
let workbench: Workbench;
let app: WorkbenchApp;
let template: string;
let dataDir: string;

async function call<T>(channel: string, args: unknown = {}): Promise<T> {
  const envelope = await app.call(channel, args);
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.result as T;
}

async function failure(channel: string, args: unknown): Promise<{ message: string; field?: string }> {
  const envelope = await app.call(channel, args);
  if (envelope.ok) throw new Error(`${channel} succeeded`);
  return envelope.error;
}

beforeEach(() => {
  template = copyFixture('canvas');
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'lwb-wiring-'));
  workbench = openWorkbench({
    templatePath: template,
    account: TEST_ACCOUNT,
    logger: createLogger('silent'),
    settings: parseSettings({}),
    dataDir,
    codeCacheDir: path.join(dataDir, 'code'),
    signingKeysDir: path.join(dataDir, 'signing-keys'),
  });
  app = new WorkbenchApp(workbench, path.resolve('resources'), createLogger('silent'));
});

afterEach(async () => {
  await workbench.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('canvas wiring through the console contract', () => {
  it('adds an S3 trigger and bucket', async () => {
    const before = await call<CanvasGraph>('canvas.graph');
    expect(before.nodes.map((node) => node.id).sort()).toEqual(['fn:Worker', 'queue:Inbox', 'queue:Results']);
    expect(before.edges).toEqual([]);

    const added = await call<{ eventName: string }>('wiring.addTrigger', {
      functionName: 'Worker',
      kind: 'S3',
      source: null,
      newSourceName: 'Photos',
      options: { prefix: 'in/', suffix: '.jpg' },
    });
    expect(added.eventName).toBe('PhotosEvent');
    const source = readFileSync(template, 'utf8');
    expect(source).toContain(
      [
        '      Events:',
        '        PhotosEvent:',
        '          Type: S3',
        '          Properties:',
        '            Bucket: !Ref Photos',
        '            Events: s3:ObjectCreated:*',
        '            Filter:',
        '              S3Key:',
        '                Rules:',
        '                  - Name: prefix',
        '                    Value: in/',
        '                  - Name: suffix',
        '                    Value: .jpg',
      ].join('\n'),
    );
    expect(source).toMatch(/\n\n {2}Photos:\n {4}Type: AWS::S3::Bucket\n/);
    expect(source).toContain('# Reads the inbox once the canvas wires it.');

    const after = await call<CanvasGraph>('canvas.graph');
    const edge = after.edges.find((candidate) => candidate.source === 'bucket:photos')!;
    expect(edge).toMatchObject({
      target: 'fn:Worker',
      kind: 'trigger',
      label: 'S3 in/*.jpg',
      ref: { kind: 'event', eventName: 'PhotosEvent' },
    });
    const detail = await call<{ triggers: Array<{ name: string; type: string; source: string }> }>('functions.get', { name: 'Worker' });
    expect(detail.triggers).toEqual([{ name: 'PhotosEvent', type: 'S3', source: 'photos' }]);

    await call('wiring.remove', { ref: edge.ref });
    expect(readFileSync(template, 'utf8')).not.toContain('PhotosEvent');
  });

  it('sets and clears a destination', async () => {
    await call('wiring.setDestination', { functionName: 'Worker', condition: 'OnFailure', target: 'queue:Results' });
    expect(readFileSync(template, 'utf8')).toContain(
      [
        '      EventInvokeConfig:',
        '        DestinationConfig:',
        '          OnFailure:',
        '            Type: SQS',
        '            Destination: !GetAtt Results.Arn',
      ].join('\n'),
    );
    const graph = await call<CanvasGraph>('canvas.graph');
    expect(graph.edges).toContainEqual(
      expect.objectContaining({ source: 'fn:Worker', target: 'queue:Results', kind: 'destination', label: 'on failure' }),
    );
    await call('wiring.setDestination', { functionName: 'Worker', condition: 'OnFailure', target: null });
    expect(readFileSync(template, 'utf8')).not.toContain('OnFailure');
  });

  it('sets and removes a dead-letter queue', async () => {
    await call('wiring.setDestination', { functionName: 'Worker', condition: 'DeadLetterQueue', target: 'queue:Results' });
    expect(readFileSync(template, 'utf8')).toContain(
      ['      DeadLetterQueue:', '        Type: SQS', '        TargetArn: !GetAtt Results.Arn'].join('\n'),
    );
    const graph = await call<CanvasGraph>('canvas.graph');
    const edge = graph.edges.find((candidate) => candidate.label === 'dead-letter queue')!;
    expect(edge).toMatchObject({ source: 'fn:Worker', target: 'queue:Results', ref: { kind: 'deadLetterQueue', functionName: 'Worker' } });
    expect(
      await failure('wiring.setDestination', { functionName: 'Worker', condition: 'DeadLetterQueue', target: 'bus:default' }),
    ).toMatchObject({
      field: 'target',
      message: 'bus:default cannot be a dead-letter queue; connect the function to an SQS queue or an SNS topic.',
    });
    await call('wiring.remove', { ref: edge.ref });
    expect(readFileSync(template, 'utf8')).not.toContain('DeadLetterQueue');
  });

  it('rejects invalid wiring', async () => {
    const before = readFileSync(template, 'utf8');
    expect(await failure('wiring.setDestination', { functionName: 'Worker', condition: 'OnSuccess', target: 'fn:Worker' })).toMatchObject({
      field: 'target',
      message: 'A function cannot be its own destination.',
    });
    expect(
      await failure('wiring.addTrigger', {
        functionName: 'Worker',
        kind: 'SQS',
        source: 'Inbox',
        newSourceName: null,
        options: { batchSize: 11 },
      }),
    ).toMatchObject({
      field: 'batchSize',
      message: expect.stringContaining('Batch size 11 is not valid here; use 1 to 10'),
    });
    expect(
      await failure('wiring.addTrigger', { functionName: 'Worker', kind: 'SQS', source: 'Nowhere', newSourceName: null, options: {} }),
    ).toMatchObject({
      field: 'source',
      message: 'Nowhere is not a queue of the template; choose one of: Inbox, Results.',
    });
    expect(
      await failure('wiring.addTrigger', {
        functionName: 'Worker',
        kind: 'EventBridgeRule',
        source: null,
        newSourceName: null,
        options: { pattern: '{"source": "shop"}' },
      }),
    ).toMatchObject({ field: 'pattern' });
    expect(
      await failure('wiring.addTrigger', {
        functionName: 'Worker',
        kind: 'Schedule',
        source: null,
        newSourceName: null,
        options: { expression: 'every minute' },
      }),
    ).toMatchObject({
      field: 'expression',
    });

    expect(await failure('wiring.addResource', { type: 'queue', name: '9lives' })).toMatchObject({
      field: 'name',
      message: 'The resource name must be letters and digits, starting with a letter.',
    });
    expect(await failure('wiring.addResource', { type: 'bus', name: 'default' })).toMatchObject({
      field: 'name',
      message: expect.stringContaining('default event bus'),
    });
    expect(
      await failure('wiring.addTrigger', {
        functionName: 'Worker',
        kind: 'EventBridgeRule',
        source: null,
        newSourceName: null,
        options: { pattern: '{}' },
      }),
    ).toMatchObject({ field: 'pattern', message: expect.stringContaining('is empty') });

    expect(await failure('sources.putEvent', { bus: 'default', source: '', detailType: 'T', detail: '{}' })).toMatchObject({
      field: 'source',
      message: 'Source must not be empty.',
    });
    expect(await failure('sources.putObject', { bucket: 'nope', key: 'a', base64: '' })).toMatchObject({ field: 'bucket' });

    expect(readFileSync(template, 'utf8')).toBe(before);
  });

  it('rejects a duplicate trigger and route', async () => {
    await call('wiring.addTrigger', { functionName: 'Worker', kind: 'SQS', source: 'Inbox', newSourceName: null, options: {} });
    expect(
      await failure('wiring.addTrigger', { functionName: 'Worker', kind: 'SQS', source: 'Inbox', newSourceName: null, options: {} }),
    ).toMatchObject({
      field: 'source',
      message: 'Worker already has a trigger from queue Inbox (SQS batch 10); select its edge to remove or change it.',
    });
    await call('wiring.addTrigger', {
      functionName: 'Worker',
      kind: 'HttpApi',
      source: null,
      newSourceName: null,
      options: { method: 'get', path: '/hello' },
    });
    expect(
      await failure('wiring.addTrigger', {
        functionName: 'Worker',
        kind: 'HttpApi',
        source: null,
        newSourceName: null,
        options: { method: 'GET', path: '/hello' },
      }),
    ).toMatchObject({ field: 'path', message: expect.stringContaining('The route GET /hello exists already') });
    expect(
      await failure('wiring.addTrigger', {
        functionName: 'Worker',
        kind: 'HttpApi',
        source: null,
        newSourceName: null,
        options: { path: '/a b' },
      }),
    ).toMatchObject({ field: 'path', message: expect.stringContaining('no spaces') });
  });

  it('lays out a cycle in two columns', () => {
    const positions = layoutGraph({
      nodes: [
        { id: 'fn:Worker', kind: 'function', label: 'Worker', detail: '', logicalId: 'Worker' },
        { id: 'topic:News', kind: 'topic', label: 'News', detail: '', logicalId: 'News' },
      ],
      edges: [
        { id: 'a', source: 'topic:News', target: 'fn:Worker', kind: 'trigger', label: 'SNS', ref: null },
        { id: 'b', source: 'fn:Worker', target: 'topic:News', kind: 'destination', label: 'dead-letter queue', ref: null },
      ],
    });
    expect(positions.get('topic:News')!.x).toBe(0);
    expect(positions.get('fn:Worker')!.x).toBe(COLUMN_WIDTH);
  });

  it('lays out left to right', async () => {
    await call('wiring.addTrigger', { functionName: 'Worker', kind: 'SQS', source: 'Inbox', newSourceName: null, options: {} });
    await call('wiring.setDestination', { functionName: 'Worker', condition: 'OnSuccess', target: 'queue:Results' });
    const positions = layoutGraph(await call<CanvasGraph>('canvas.graph'));
    expect(positions.get('queue:Inbox')!.x).toBeLessThan(positions.get('fn:Worker')!.x);
    expect(positions.get('fn:Worker')!.x).toBeLessThan(positions.get('queue:Results')!.x);
  });
});
