import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../main/core/template/workspace.js';
import { DockerodeEngine } from '../../main/docker/dockerode-engine.js';
import { VolumeTmpStorage } from '../../main/docker/tmp-storage.js';
import { buildBlueprint } from '../../main/engine/blueprint.js';
import { FunctionPool } from '../../main/engine/function-pool.js';
import type { InvocationResult } from '../../main/engine/invocation-types.js';
import { createLogger } from '../../main/logging.js';
import { LogStore } from '../../main/store/log-store.js';
import { toolAvailable } from '../support/required-tools.js';
import { TEST_ACCOUNT } from '../support/workbench.js';

const RIC_DIR = path.resolve('test/compat/ric');
const RIC_IMAGE = 'lambda-workbench-test/aws-lambda-ric:latest';
const hasRic = toolAvailable(
  path.join(RIC_DIR, 'node_modules/aws-lambda-ric/rapid-client.node'),
  'aws-lambda-ric (npm ci --prefix test/compat/ric)',
);

const containers = new DockerodeEngine();
const logger = createLogger('warn');
const workDir = mkdtempSync(path.join(os.tmpdir(), 'lwb-ric-'));
const logs = new LogStore(path.join(workDir, 'logs.sqlite'));
const pools: FunctionPool[] = [];

/** Runs one invocation of a handler in AWS's runtime client, through the workbench's Runtime API. */
async function invokeWithRic(handler: string, payload: unknown): Promise<InvocationResult> {
  const templatePath = path.join(workDir, 'template.yaml');
  const workspace = loadWorkspace(templatePath, { region: TEST_ACCOUNT.region, accountId: TEST_ACCOUNT.accountId });
  const fn = workspace.functions.find((candidate) => candidate.handler === handler)!;
  const blueprint = {
    ...buildBlueprint(fn, { reference: RIC_IMAGE, kind: 'workbench' }, path.join(RIC_DIR, 'handlers'), TEST_ACCOUNT, 'ric-compat'),
    entrypoint: ['/usr/local/bin/node', '/opt/ric/node_modules/aws-lambda-ric/index.mjs'],
  };
  const pool = new FunctionPool(
    blueprint,
    { engine: containers, tmpStorage: new VolumeTmpStorage(), network: await containers.networkPlan(), logs, logger },
    logger,
  );
  pools.push(pool);
  return pool.invoke({ requestId: randomUUID(), payload: Buffer.from(JSON.stringify(payload)) });
}

beforeAll(async () => {
  if (!hasRic) return;
  writeFileSync(
    path.join(workDir, 'template.yaml'),
    [
      'Resources:',
      ...['ok', 'fails', 'broken'].flatMap((name) => [
        `  Ric${name}:`,
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        `      CodeUri: ${path.join(RIC_DIR, 'handlers')}`,
        `      Handler: ${name}.handler`,
        '      Runtime: nodejs20.x',
      ]),
    ].join('\n'),
  );
  if (!(await containers.inspectImage(RIC_IMAGE))) {
    const context = path.join(workDir, 'context');
    cpSync(path.join(RIC_DIR, 'node_modules'), path.join(context, 'node_modules'), { recursive: true });
    copyFileSync(process.execPath, path.join(context, 'node'));
    copyFileSync(path.join(RIC_DIR, 'Dockerfile'), path.join(context, 'Dockerfile'));
    await containers.buildImage(context, { tag: RIC_IMAGE }, () => undefined);
    rmSync(context, { recursive: true, force: true });
  }
});

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.dispose()));
  logs.close();
  if (existsSync(workDir)) rmSync(workDir, { recursive: true, force: true });
});

describe.runIf(hasRic)("AWS's Node.js runtime interface client against the Runtime API", () => {
  it('posts a handler result', async () => {
    const result = await invokeWithRic('ok.handler', { from: 'workbench' });
    expect(result.status).toBe('success');
    expect(JSON.parse(result.payload.toString())).toEqual({
      ok: true,
      event: { from: 'workbench' },
      requestId: result.requestId,
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:Ricok',
    });
    expect(result.initDurationMs).toBeGreaterThan(0);
    const report = await result.report;
    expect(report.log).toContain(`START RequestId: ${result.requestId}`);
  });

  it('posts a handler error', async () => {
    const result = await invokeWithRic('fails.handler', {});
    expect(result.status).toBe('error');
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('QuotaExceeded');
    const body = JSON.parse(result.payload.toString()) as { errorType: string; errorMessage: string; trace: string[] };
    expect(body.errorType).toBe('QuotaExceeded');
    expect(body.errorMessage).toBe('quota exceeded for tenant blue');
    expect(body.trace[0]).toContain('QuotaExceeded: quota exceeded for tenant blue');
  });

  it('posts an init error', async () => {
    const result = await invokeWithRic('broken.handler', {});
    expect(result.status).toBe('error');
    expect(result.functionError).toBe('Unhandled');
    const body = JSON.parse(result.payload.toString()) as { errorType: string; errorMessage: string };
    expect(body.errorMessage).toContain('broken at import');
    const report = await result.report;
    expect(report.log).toMatch(/^INIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: /m);
  });
});
