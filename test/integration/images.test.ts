import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;

beforeAll(async () => {
  workbench = await startWorkbench(path.resolve('test/fixtures/images/template.yaml'));
});

afterAll(async () => {
  await workbench?.close();
});

describe('container image functions', () => {
  it('runs an image built FROM the offline Node.js image', async () => {
    const response = await workbench.invoke('ImageNode', { x: 1 });
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.json()).toEqual({ handler: 'handler', greeting: 'built with a build argument', event: { x: 1 } });
  });

  it('takes the handler from ImageConfig.Command', async () => {
    expect((await workbench.invoke('ImageNodeOther', {})).json()).toEqual({ handler: 'other' });
  });

  it('describes an image function as GetFunction does', async () => {
    await workbench.invoke('ImageNodeOther', {});
    const described = (await (await fetch(`${workbench.baseUrl}/2015-03-31/functions/ImageNodeOther`)).json()) as {
      Configuration: { CodeSha256: string; CodeSize: number; PackageType: string; ImageConfigResponse: unknown };
      Code: { RepositoryType: string; ImageUri: string; ResolvedImageUri: string };
    };
    const image = await workbench.engine.functionImages.ensure(workbench.engine.findFunction('ImageNodeOther')!);
    expect(described.Configuration).toMatchObject({ PackageType: 'Image', CodeSize: 0, CodeSha256: image.info.id.replace('sha256:', '') });
    expect(described.Configuration.ImageConfigResponse).toEqual({ ImageConfig: { Command: ['app.other'] } });
    expect(described.Code).toMatchObject({ RepositoryType: 'ECR', ImageUri: image.reference });
    expect(described.Code.ResolvedImageUri).toMatch(/^lambda-workbench-fn\/.*-imagenodeother@sha256:[0-9a-f]{64}$/);
  });

  it('runs an image whose entry point is a custom runtime', async () => {
    expect((await workbench.invoke('ImageShell', { abc: 'def' })).json()).toEqual({ runtime: 'shell image', length: 13 });
  });

  it('reuses a built image while its sources are unchanged', async () => {
    const fn = workbench.engine.findFunction('ImageNode')!;
    const first = await workbench.engine.functionImages.ensure(fn);
    const again = await workbench.engine.functionImages.ensure(fn);
    expect(again.info.id).toBe(first.info.id);
    expect(first.reference).toMatch(/^lambda-workbench-fn\/.*-imagenode:v1$/);
  });
});
