import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, startServe, type ServeProcess } from '../support/serve-process.js';
import { AWS_CLI, toolAvailable } from '../support/required-tools.js';

const run = promisify(execFile);
const hasCli = toolAvailable(AWS_CLI, 'AWS CLI v2');
const TEMPLATE = path.resolve('resources/examples/hello/template.yaml');
const home = mkdtempSync(path.join(os.tmpdir(), 'lwb-cli-'));
let serve: ServeProcess;

beforeAll(async () => {
  if (hasCli) serve = await startServe(TEMPLATE, home);
});

afterAll(async () => {
  if (serve) expect(await serve.stop()).toBe(0);
});

async function aws(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(AWS_CLI, ['--endpoint-url', serve.endpoint, '--output', 'json', ...args], { env: cliEnvironment(home) });
}

describe.runIf(hasCli)('AWS CLI v2 against serve', () => {
  it('is version 2', async () => {
    const { stdout, stderr } = await run(AWS_CLI, ['--version']);
    expect(`${stdout}${stderr}`).toMatch(/^aws-cli\/2\./);
  });

  it.each([
    ['HelloNode', /^v18\./],
    ['HelloPython', /^3\.11\./],
  ])('invokes %s with the log tail', async (name, runtime) => {
    const out = path.join(home, `${name}.json`);
    const { stdout } = await aws(
      'lambda',
      'invoke',
      '--function-name',
      name,
      '--payload',
      '{"name":"Ada"}',
      '--cli-binary-format',
      'raw-in-base64-out',
      '--log-type',
      'Tail',
      out,
    );
    const meta = JSON.parse(stdout) as { StatusCode: number; LogResult: string; ExecutedVersion: string; FunctionError?: string };
    expect(meta.StatusCode).toBe(200);
    expect(meta.ExecutedVersion).toBe('$LATEST');
    expect(meta.FunctionError).toBeUndefined();
    const body = JSON.parse(readFileSync(out, 'utf8')) as { message: string; runtime: string; functionName: string; requestId: string };
    expect(body.message).toBe('Hello, Ada!');
    expect(body.functionName).toBe(name);
    expect(body.runtime).toMatch(runtime);
    const log = Buffer.from(meta.LogResult, 'base64').toString('utf8');
    expect(log).toMatch(new RegExp(`^START RequestId: ${body.requestId} Version: \\$LATEST`));
    expect(log).toContain('Greeting Ada');
    expect(log).toContain(`END RequestId: ${body.requestId}`);
    expect(log).toMatch(
      new RegExp(
        `REPORT RequestId: ${body.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB`,
      ),
    );
  });

  it('shows Lambda errors', async () => {
    const failure = await aws('lambda', 'invoke', '--function-name', 'Missing', path.join(home, 'missing.json')).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain(
      'An error occurred (ResourceNotFoundException) when calling the Invoke operation: Function not found: arn:aws:lambda:us-east-1:123456789012:function:Missing',
    );
  });

  it('lists and describes functions', async () => {
    const listed = JSON.parse((await aws('lambda', 'list-functions')).stdout) as {
      Functions: Array<{ FunctionName: string; Runtime: string }>;
    };
    expect(listed.Functions.map((fn) => fn.FunctionName)).toEqual(['HelloCustom', 'HelloNode', 'HelloPython']);
    const described = JSON.parse((await aws('lambda', 'get-function-configuration', '--function-name', 'HelloPython')).stdout) as Record<
      string,
      unknown
    >;
    expect(described).toMatchObject({
      FunctionName: 'HelloPython',
      Runtime: 'python3.12',
      Handler: 'app.handler',
      MemorySize: 256,
      Timeout: 10,
    });
  });

  it('logs command shows invocations', async () => {
    const { stdout } = await run(process.execPath, [path.resolve('bin/lambda-workbench.js'), 'logs', 'HelloNode', '--template', TEMPLATE], {
      env: cliEnvironment(home),
    });
    expect(stdout).toMatch(/START RequestId: [0-9a-f-]{36} Version: \$LATEST/);
    expect(stdout).toContain('Greeting Ada');
    expect(stdout).toMatch(/REPORT RequestId: /);
  });
});
