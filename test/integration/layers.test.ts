import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  LambdaClient,
  ListLayersCommand,
  ListLayerVersionsCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipFolderToBuffer } from '../../main/engine/packaging.js';
import { copyFixture, startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let templatePath: string;

beforeAll(async () => {
  templatePath = copyFixture('layers');
  workbench = await startWorkbench(templatePath);
});

afterAll(async () => {
  await workbench?.close();
});

describe('layers in /opt', () => {
  it('merges Node.js layers in order, the later one winning', async () => {
    const response = await workbench.invoke('NodeWithLayers', {});
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.json()).toEqual({
      shared: 'second',
      onlyFirst: 'only in the first layer',
      tool: 'tool from /opt/bin',
      optWritable: 'EROFS',
    });
  });

  it('imports a Python module from /opt/python', async () => {
    expect((await workbench.invoke('PythonWithLayer', {})).json()).toEqual({
      greeting: 'hello from the layer',
      file: '/opt/python/greet.py',
    });
  });

  it('lists layers with their versions in GetFunction', async () => {
    const described = (await (await fetch(`${workbench.baseUrl}/2015-03-31/functions/NodeWithLayers`)).json()) as {
      Configuration: { Layers: Array<{ Arn: string; CodeSize: number }> };
    };
    expect(described.Configuration.Layers.map((layer) => layer.Arn)).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:layer:first:1',
      'arn:aws:lambda:us-east-1:123456789012:layer:second:1',
      'arn:aws:lambda:us-east-1:123456789012:layer:tools:1',
    ]);
    // CodeSize is the size of the layer's .zip package, as `lambda-workbench package` writes it.
    const firstZip = await zipFolderToBuffer(path.join(path.dirname(templatePath), 'layers', 'first'));
    expect(described.Configuration.Layers[0]!.CodeSize).toBe(firstZip.length);
  });

  it('publishes a new layer version when its content changes', async () => {
    const changed = new Promise<void>((resolve) => workbench.workbench.workspace.once('changed', () => resolve()));
    writeFileSync(
      path.join(path.dirname(templatePath), 'layers/second/nodejs/node_modules/shared/index.js'),
      "module.exports = 'second, edited';",
    );
    // The layer's folder is not watched: touching the template reloads it, as a Deploy does.
    workbench.workbench.workspace.edit([{ logicalId: 'NodeWithLayers', path: ['Description'], value: 'uses three layers' }]);
    await changed;
    const layer = workbench.engine.workspace.layers.find((candidate) => candidate.name === 'second')!;
    expect(layer.version).toBe(2);
    expect(workbench.engine.findFunction('NodeWithLayers')!.layers[1]).toBe('arn:aws:lambda:us-east-1:123456789012:layer:second:2');
    await workbench.engine.redeploy('NodeWithLayers');
    expect((await workbench.invoke('NodeWithLayers', {})).json()).toMatchObject({ shared: 'second, edited' });
  });

  it('serves the layer operations to the AWS SDK', async () => {
    const client = new LambdaClient({
      endpoint: workbench.baseUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    });
    try {
      const listed = await client.send(new ListLayersCommand({}));
      expect(listed.Layers?.map((layer) => layer.LayerName)).toEqual(expect.arrayContaining(['first', 'second', 'tools', 'python-shared']));
      const forPython = await client.send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
      expect(forPython.Layers?.map((layer) => layer.LayerName)).toEqual(['python-shared']);

      const versions = await client.send(new ListLayerVersionsCommand({ LayerName: 'first' }));
      expect(versions.LayerVersions?.[0]).toMatchObject({ Version: 1, CompatibleRuntimes: ['nodejs18.x', 'nodejs20.x'] });

      const version = await client.send(new GetLayerVersionCommand({ LayerName: 'first', VersionNumber: 1 }));
      const zip = await zipFolderToBuffer(path.join(path.dirname(templatePath), 'layers', 'first'));
      expect(version.Content).toMatchObject({ CodeSize: zip.length, CodeSha256: createHash('sha256').update(zip).digest('base64') });
      expect(version.LayerVersionArn).toBe('arn:aws:lambda:us-east-1:123456789012:layer:first:1');

      const byArn = await client.send(new GetLayerVersionByArnCommand({ Arn: version.LayerVersionArn! }));
      expect(byArn.Version).toBe(1);
      await expect(client.send(new GetLayerVersionCommand({ LayerName: 'first', VersionNumber: 99 }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    } finally {
      client.destroy();
    }
  });
});
