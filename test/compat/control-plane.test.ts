import { readFileSync } from 'node:fs';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionConcurrencyCommand,
  DeleteFunctionEventInvokeConfigCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetAccountSettingsCommand,
  GetAliasCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  ListFunctionEventInvokeConfigsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutFunctionConcurrencyCommand,
  PutProvisionedConcurrencyConfigCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  UpdateAliasCommand,
  UpdateFunctionEventInvokeConfigCommand,
  InvalidParameterValueException,
  ProvisionedConcurrencyConfigNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let client: LambdaClient;
let templatePath: string;

beforeAll(async () => {
  templatePath = copyFixture('scheduler');
  workbench = await startWorkbench(templatePath, { timeScale: 60 });
  client = new LambdaClient({
    endpoint: workbench.baseUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client?.destroy();
  await workbench?.close();
});

describe('control-plane API through the SDK', () => {
  it('publishes and lists versions', async () => {
    const published = await client.send(new PublishVersionCommand({ FunctionName: 'Echo', Description: 'release one' }));
    expect(published).toMatchObject({
      FunctionName: 'Echo',
      Version: '1',
      Description: 'release one',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Echo:1',
    });
    const listed = await client.send(new ListVersionsByFunctionCommand({ FunctionName: 'Echo' }));
    expect(listed.Versions?.map((version) => version.Version)).toEqual(['$LATEST', '1']);
  });

  it('creates, reads, updates and deletes aliases', async () => {
    const created = await client.send(
      new CreateAliasCommand({ FunctionName: 'Echo', Name: 'prod', FunctionVersion: '1', Description: 'production' }),
    );
    expect(created).toMatchObject({
      Name: 'prod',
      FunctionVersion: '1',
      AliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:Echo:prod',
    });
    await expect(client.send(new CreateAliasCommand({ FunctionName: 'Echo', Name: 'prod', FunctionVersion: '1' }))).rejects.toBeInstanceOf(
      ResourceConflictException,
    );
    await expect(client.send(new CreateAliasCommand({ FunctionName: 'Echo', Name: 'beta', FunctionVersion: '9' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const updated = await client.send(new UpdateAliasCommand({ FunctionName: 'Echo', Name: 'prod', FunctionVersion: '$LATEST' }));
    expect(updated.FunctionVersion).toBe('$LATEST');
    expect(updated.RevisionId).not.toBe(created.RevisionId);
    expect((await client.send(new GetAliasCommand({ FunctionName: 'Echo', Name: 'prod' }))).Description).toBe('production');
    expect((await client.send(new ListAliasesCommand({ FunctionName: 'Echo' }))).Aliases?.map((alias) => alias.Name)).toEqual(['prod']);
    const invoked = await workbench.invoke('Echo:prod', { via: 'alias' });
    expect(invoked.headers.get('x-amz-executed-version')).toBe('$LATEST');
    await client.send(new DeleteAliasCommand({ FunctionName: 'Echo', Name: 'prod' }));
    await expect(client.send(new GetAliasCommand({ FunctionName: 'Echo', Name: 'prod' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('sets reserved concurrency in the template', async () => {
    expect(
      (await client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'Echo', ReservedConcurrentExecutions: 3 })))
        .ReservedConcurrentExecutions,
    ).toBe(3);
    expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'Echo' }))).ReservedConcurrentExecutions).toBe(3);
    expect(readFileSync(templatePath, 'utf8')).toMatch(/Echo:[\s\S]*ReservedConcurrentExecutions: 3/);
    expect(readFileSync(templatePath, 'utf8')).toContain('# Returns at once, for throughput.');
    const settings = await client.send(new GetAccountSettingsCommand({}));
    expect(settings.AccountLimit).toMatchObject({ ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 - 5 - 3 - 10 - 2 });
    await expect(
      client.send(new PutFunctionConcurrencyCommand({ FunctionName: 'Echo', ReservedConcurrentExecutions: 990 })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    });
    await client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: 'Echo' }));
    expect((await client.send(new GetFunctionConcurrencyCommand({ FunctionName: 'Echo' }))).ReservedConcurrentExecutions).toBeUndefined();
    expect(readFileSync(templatePath, 'utf8')).not.toMatch(/Echo:[\s\S]*ReservedConcurrentExecutions: 3/);
  });

  it('configures provisioned concurrency on a version', async () => {
    await expect(
      client.send(
        new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'Echo', Qualifier: '$LATEST', ProvisionedConcurrentExecutions: 1 }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
    const put = await client.send(
      new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'Echo', Qualifier: '1', ProvisionedConcurrentExecutions: 1 }),
    );
    expect(put.RequestedProvisionedConcurrentExecutions).toBe(1);
    const listed = await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'Echo' }));
    expect(listed.ProvisionedConcurrencyConfigs?.[0]).toMatchObject({
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Echo:1',
      RequestedProvisionedConcurrentExecutions: 1,
    });
    await client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'Echo', Qualifier: '1' }));
    await expect(
      client.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'Echo', Qualifier: '9' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    expect(
      (await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'Echo' }))).ProvisionedConcurrencyConfigs,
    ).toEqual([]);
    await expect(client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'Echo', Qualifier: '1' }))).rejects.toBeInstanceOf(
      ProvisionedConcurrencyConfigNotFoundException,
    );
  });

  it('lists provisioned concurrency from the template', async () => {
    const listed = await client.send(new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'Warm' }));
    expect(
      listed.ProvisionedConcurrencyConfigs?.map((config) => [config.FunctionArn, config.RequestedProvisionedConcurrentExecutions]),
    ).toEqual([['arn:aws:lambda:us-east-1:123456789012:function:Warm:live', 2]]);
  });

  it('refuses provisioned concurrency it cannot give', async () => {
    await client.send(new CreateAliasCommand({ FunctionName: 'Echo', Name: 'latest', FunctionVersion: '$LATEST' }));
    await expect(
      client.send(
        new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'Echo', Qualifier: 'latest', ProvisionedConcurrentExecutions: 1 }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
    });
    await expect(
      client.send(
        new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'Echo', Qualifier: '1', ProvisionedConcurrentExecutions: 950 }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message:
        "Specified ProvisionedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    });
  });

  it('puts, updates, reads and deletes event invoke configs', async () => {
    await client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'AlwaysFails', MaximumEventAgeInSeconds: 3_600 }));
    const read = await client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'AlwaysFails' }));
    expect(read).toMatchObject({
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:AlwaysFails:$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3_600,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:failures' } },
    });
    expect(readFileSync(templatePath, 'utf8')).toContain('Destination: !GetAtt FailureQueue.Arn');
    expect(readFileSync(templatePath, 'utf8')).toMatch(/MaximumEventAgeInSeconds: 3600/);
    expect(
      (await client.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'AlwaysFails' }))).FunctionEventInvokeConfigs,
    ).toHaveLength(1);
    await expect(
      client.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: 'AlwaysFails', MaximumRetryAttempts: 5 })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'AlwaysFails' }));
    await expect(client.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: 'AlwaysFails' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(client.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: 'AlwaysFails' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(readFileSync(templatePath, 'utf8')).not.toMatch(/AlwaysFails:[\s\S]*?EventInvokeConfig:[\s\S]*?FailsWithoutRetry/);
  });
});
