import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(described.Configuration.Layers[0]!.CodeSize).toBeGreaterThan(0);
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
});
