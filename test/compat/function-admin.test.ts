import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, startServe, type ServeProcess } from '../support/serve-process.js';
import { AWS_CLI, toolAvailable } from '../support/required-tools.js';
import { copyFixture } from '../support/workbench.js';

const run = promisify(execFile);
const hasCli = toolAvailable(AWS_CLI, 'AWS CLI v2');
const home = mkdtempSync(path.join(os.tmpdir(), 'lwb-admin-'));
let serve: ServeProcess;
let template: string;

/** Writes a .zip of the given files and returns its path. */
async function zipOf(files: Record<string, { content: string; mode?: number }>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, file] of Object.entries(files)) zip.addBuffer(Buffer.from(file.content), name, { mode: file.mode ?? 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-admin-zip-')), 'package.zip');
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(AWS_CLI, ['--endpoint-url', serve.endpoint, '--output', 'json', ...args], { env: cliEnvironment(home) });
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

/** Runs a command that must fail and returns its error output. */
async function awsError(...args: string[]): Promise<string> {
  try {
    await aws(...args);
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error(`aws ${args.join(' ')} succeeded`);
}

async function invoke(name: string): Promise<unknown> {
  const out = path.join(home, `${name}-${Date.now()}.json`);
  await aws('lambda', 'invoke', '--function-name', name, '--payload', '{}', '--cli-binary-format', 'raw-in-base64-out', out);
  return JSON.parse(readFileSync(out, 'utf8'));
}

beforeAll(async () => {
  if (!hasCli) return;
  template = copyFixture('layers');
  serve = await startServe(template, home);
});

afterAll(async () => {
  if (serve) expect(await serve.stop()).toBe(0);
});

// The write side of the control plane, through the real AWS CLI: every change lands in template.yaml.
describe.runIf(hasCli)('function administration through the AWS CLI', () => {
  it('creates a function from a .zip: Pending, then Active', async () => {
    const zip = await zipOf({ 'index.js': { content: "exports.handler = async () => 'created through the API';" } });
    const created = await aws(
      'lambda',
      'create-function',
      '--function-name',
      'made-by-cli',
      '--runtime',
      'nodejs20.x',
      '--handler',
      'index.handler',
      '--role',
      'arn:aws:iam::123456789012:role/lambda-role',
      '--zip-file',
      `fileb://${zip}`,
      '--memory-size',
      '256',
      '--environment',
      'Variables={STAGE=test}',
    );
    expect(created).toMatchObject({ FunctionName: 'made-by-cli', State: 'Pending', StateReasonCode: 'Creating', MemorySize: 256 });
    await run(AWS_CLI, ['--endpoint-url', serve.endpoint, 'lambda', 'wait', 'function-active-v2', '--function-name', 'made-by-cli'], {
      env: cliEnvironment(home),
    });
    expect(await invoke('made-by-cli')).toBe('created through the API');

    const source = readFileSync(template, 'utf8');
    expect(source).toMatch(
      / {2}MadeByCli:\n {4}Type: AWS::Serverless::Function\n {4}Properties:\n {6}FunctionName: made-by-cli\n {6}CodeUri: made-by-cli\//,
    );
    expect(source).toContain('STAGE: test');
    expect(existsSync(path.join(path.dirname(template), 'made-by-cli', 'index.js'))).toBe(true);
  });

  it('refuses a function that exists, and a bad timeout', async () => {
    const zip = await zipOf({ 'index.js': { content: 'exports.handler = async () => 1;' } });
    const common = [
      '--runtime',
      'nodejs20.x',
      '--handler',
      'index.handler',
      '--role',
      'arn:aws:iam::123456789012:role/r',
      '--zip-file',
      `fileb://${zip}`,
    ];
    expect(await awsError('lambda', 'create-function', '--function-name', 'made-by-cli', ...common)).toContain('ResourceConflictException');
    // The CLI checks minimums itself; the maximum is the service's to enforce.
    const tooLong = await awsError('lambda', 'create-function', '--function-name', 'tiny', '--timeout', '901', ...common);
    expect(tooLong).toContain('ValidationException');
    expect(tooLong).toContain("Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
    expect(readFileSync(template, 'utf8')).not.toContain('tiny');
  });

  it('updates the code, and the next call runs it', async () => {
    const zip = await zipOf({ 'index.js': { content: "exports.handler = async () => 'second release';" } });
    const updated = await aws('lambda', 'update-function-code', '--function-name', 'made-by-cli', '--zip-file', `fileb://${zip}`);
    expect(updated.LastUpdateStatus).toBe('InProgress');
    await run(AWS_CLI, ['--endpoint-url', serve.endpoint, 'lambda', 'wait', 'function-updated-v2', '--function-name', 'made-by-cli'], {
      env: cliEnvironment(home),
    });
    expect(await invoke('made-by-cli')).toBe('second release');
  });

  it('updates the configuration in the template', async () => {
    const updated = await aws(
      'lambda',
      'update-function-configuration',
      '--function-name',
      'made-by-cli',
      '--timeout',
      '42',
      '--description',
      'edited',
    );
    expect(updated).toMatchObject({ Timeout: 42, Description: 'edited' });
    const source = readFileSync(template, 'utf8');
    expect(source).toContain('Timeout: 42');
    expect(source).toContain('Description: edited');
    const bad = await awsError(
      'lambda',
      'update-function-configuration',
      '--function-name',
      'made-by-cli',
      '--environment',
      'Variables={AWS_REGION=x}',
    );
    expect(bad).toContain('AWS_REGION is reserved');
    const missingLayer = await awsError(
      'lambda',
      'update-function-configuration',
      '--function-name',
      'made-by-cli',
      '--layers',
      'arn:aws:lambda:us-east-1:123456789012:layer:nowhere:9',
    );
    expect(missingLayer).toContain('InvalidParameterValueException');
    expect(missingLayer).toContain('Layer version arn:aws:lambda:us-east-1:123456789012:layer:nowhere:9 does not exist');
    expect(readFileSync(template, 'utf8')).not.toContain('layer:nowhere');
  });

  it('publishes a layer version from a .zip and lists it', async () => {
    const zip = await zipOf({ 'nodejs/node_modules/greeting/index.js': { content: "module.exports = 'from a published layer';" } });
    const published = await aws(
      'lambda',
      'publish-layer-version',
      '--layer-name',
      'published',
      '--zip-file',
      `fileb://${zip}`,
      '--compatible-runtimes',
      'nodejs20.x',
    );
    expect(published).toMatchObject({ Version: 1, LayerVersionArn: 'arn:aws:lambda:us-east-1:123456789012:layer:published:1' });
    expect((published.Content as { CodeSize: number }).CodeSize).toBe(statSync(zip).size);
    const layers = (await aws('lambda', 'list-layers')).Layers as Array<{ LayerName: string }>;
    expect(layers.map((layer) => layer.LayerName)).toContain('published');
    expect(readFileSync(template, 'utf8')).toContain('ContentUri: layers/published/');

    const again = await zipOf({ 'nodejs/node_modules/greeting/index.js': { content: "module.exports = 'version two';" } });
    const second = await aws('lambda', 'publish-layer-version', '--layer-name', 'published', '--zip-file', `fileb://${again}`);
    expect(second.Version).toBe(2);
  });

  it('sets a code signing configuration that Enforce then applies', async () => {
    const config = (await aws(
      'lambda',
      'create-code-signing-config',
      '--allowed-publishers',
      'SigningProfileVersionArns=arn:aws:signer:us-east-1:123456789012:/signing-profiles/Nobody/abcdefghij',
      '--code-signing-policies',
      'UntrustedArtifactOnDeployment=Enforce',
    )) as { CodeSigningConfig: { CodeSigningConfigArn: string } };
    const arn = config.CodeSigningConfig.CodeSigningConfigArn;
    expect(arn).toMatch(/:code-signing-config:csc-[0-9a-f]{17}$/);
    await aws('lambda', 'put-function-code-signing-config', '--function-name', 'made-by-cli', '--code-signing-config-arn', arn);
    expect(await aws('lambda', 'get-function-code-signing-config', '--function-name', 'made-by-cli')).toMatchObject({
      CodeSigningConfigArn: arn,
    });
    // The code is an unsigned folder, so Enforce refuses to deploy it.
    const refused = await awsError('lambda', 'invoke', '--function-name', 'made-by-cli', path.join(home, 'refused.json'));
    expect(refused).toContain('CodeVerificationFailedException');
    // New code through the API carries no signature: refused before anything is written.
    const codeFile = path.join(path.dirname(template), 'made-by-cli', 'index.js');
    const before = readFileSync(codeFile, 'utf8');
    const unsigned = await zipOf({ 'index.js': { content: "exports.handler = async () => 'unsigned';" } });
    const update = await awsError('lambda', 'update-function-code', '--function-name', 'made-by-cli', '--zip-file', `fileb://${unsigned}`);
    expect(update).toContain('CodeVerificationFailedException');
    expect(update).toContain('ENFORCE');
    expect(readFileSync(codeFile, 'utf8')).toBe(before);
    expect(await awsError('lambda', 'delete-code-signing-config', '--code-signing-config-arn', arn)).toContain('ResourceConflictException');
    await aws('lambda', 'delete-function-code-signing-config', '--function-name', 'made-by-cli');
    await aws('lambda', 'delete-code-signing-config', '--code-signing-config-arn', arn);
    expect(await invoke('made-by-cli')).toBe('second release');
  });

  it('deletes the function from the template and keeps its code folder', async () => {
    await aws('lambda', 'delete-function', '--function-name', 'made-by-cli');
    expect(readFileSync(template, 'utf8')).not.toContain('MadeByCli');
    expect(existsSync(path.join(path.dirname(template), 'made-by-cli', 'index.js'))).toBe(true);
    expect(await awsError('lambda', 'get-function', '--function-name', 'made-by-cli')).toContain('ResourceNotFoundException');
  });
});
