import path from 'node:path';
import {
  GetFunctionCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionsCommand,
  ResourceNotFoundException,
  InvalidRequestContentException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let client: LambdaClient;

beforeAll(async () => {
  workbench = await startWorkbench(path.resolve('resources/examples/hello/template.yaml'));
  client = new LambdaClient({
    endpoint: workbench.baseUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
  });
});

afterAll(async () => {
  client?.destroy();
  await workbench?.close();
});

describe('@aws-sdk/client-lambda against the Invoke API', () => {
  it.each(['HelloNode', 'HelloPython', 'HelloCustom'])('invokes %s with the log tail', async (name) => {
    const result = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"name":"Linus"}'), LogType: 'Tail' }));
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(result.ExecutedVersion).toBe('$LATEST');
    const body = JSON.parse(Buffer.from(result.Payload!).toString('utf8')) as { message: string };
    expect(body.message).toMatch(/^Hello/);
    const log = Buffer.from(result.LogResult!, 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(log).toMatch(/\nREPORT RequestId: [0-9a-f-]{36}\tDuration: /);
  });

  it('raises SDK exception classes', async () => {
    await expect(client.send(new InvokeCommand({ FunctionName: 'Nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new InvokeCommand({ FunctionName: 'HelloNode', Payload: Buffer.from('{nope') }))).rejects.toBeInstanceOf(
      InvalidRequestContentException,
    );
    const tooLarge = client.send(
      new InvokeCommand({ FunctionName: 'HelloNode', Payload: Buffer.from(JSON.stringify('a'.repeat(6 * 1024 * 1024))) }),
    );
    await expect(tooLarge).rejects.toMatchObject({ name: 'RequestEntityTooLargeException', $metadata: { httpStatusCode: 413 } });
  });

  it('reads function configuration', async () => {
    const described = await client.send(new GetFunctionCommand({ FunctionName: 'HelloNode' }));
    expect(described.Configuration).toMatchObject({
      FunctionName: 'HelloNode',
      Runtime: 'nodejs20.x',
      MemorySize: 256,
      Timeout: 10,
      PackageType: 'Zip',
    });
    const listed = await client.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((fn) => fn.FunctionName)).toEqual(['HelloCustom', 'HelloNode', 'HelloPython']);
  });

  it('accepts the $LATEST qualifier', async () => {
    const result = await client.send(
      new InvokeCommand({ FunctionName: 'HelloNode', Payload: Buffer.from('{"name":"x"}'), Qualifier: '$LATEST' }),
    );
    expect(result.StatusCode).toBe(200);
    expect(result.ExecutedVersion).toBe('$LATEST');
  });
});
