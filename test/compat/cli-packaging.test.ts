import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { beforeAll, describe, expect, it } from 'vitest';
import { DockerodeEngine } from '../../main/docker/dockerode-engine.js';
import { CLI, cliEnvironment, startServe } from '../support/serve-process.js';
import { copyFixture, startWorkbench } from '../support/workbench.js';

const run = promisify(execFile);
const home = mkdtempSync(path.join(os.tmpdir(), 'lwb-cli-package-'));
const RUN_IMAGE = 'lambda-workbench-test/run-image:latest';

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: cliEnvironment(home), maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failure = error as { stdout: string; stderr: string; code: number };
    return { stdout: failure.stdout, stderr: failure.stderr, code: failure.code };
  }
}

/** Lists a zip's entries with their Unix modes. */
function entriesOf(file: string): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map<string, number>();
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.set(entry.fileName, (entry.externalFileAttributes >>> 16) & 0o7777);
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.readEntry();
    });
  });
}

async function makeZip(files: Array<{ name: string; content: Buffer | string; mode?: number }>, compress = true): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const file of files) zip.addBuffer(Buffer.from(file.content), file.name, { mode: file.mode ?? 0o100644, compress });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const output = path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-zip-')), 'upload.zip');
  writeFileSync(output, Buffer.concat(chunks));
  return output;
}

function copyExample(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-hello-'));
  cpSync(path.resolve('resources/examples/hello'), dir, { recursive: true });
  return path.join(dir, 'template.yaml');
}

beforeAll(async () => {
  const engine = new DockerodeEngine();
  await engine.buildImage(path.resolve('test/fixtures/images/node-image'), { tag: RUN_IMAGE }, () => undefined);
});

describe('CLI packaging commands', () => {
  it('packages a function with its executable bootstrap', async () => {
    const output = mkdtempSync(path.join(os.tmpdir(), 'lwb-packages-'));
    const result = await cli('package', 'HelloCustom', '--template', copyExample(), '--output', output);
    expect(result.code).toBe(0);
    const entries = await entriesOf(path.join(output, 'HelloCustom.zip'));
    expect(entries.get('bootstrap')).toBe(0o755);
    expect(result.stdout).toMatch(/HelloCustom\.zip\t\d+ bytes/);
  });

  it('reports the package digest as CodeSha256', async () => {
    const template = copyExample();
    const output = mkdtempSync(path.join(os.tmpdir(), 'lwb-packages-'));
    expect((await cli('package', 'HelloNode', '--template', template, '--output', output)).code).toBe(0);
    const zip = readFileSync(path.join(output, 'HelloNode.zip'));
    const workbench = await startWorkbench(template);
    try {
      const described = (await (await fetch(`${workbench.baseUrl}/2015-03-31/functions/HelloNode`)).json()) as {
        Configuration: { CodeSha256: string; CodeSize: number };
      };
      expect(described.Configuration.CodeSha256).toBe(createHash('sha256').update(zip).digest('base64'));
      expect(described.Configuration.CodeSize).toBe(zip.length);
    } finally {
      await workbench.close();
    }
  });

  it('imports a .zip and runs it', async () => {
    const template = copyExample();
    const bootstrap = [
      '#!/bin/sh',
      'api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"',
      'while true; do',
      '  id=$(curl -sS -D - -o /dev/null "$api/invocation/next" | grep -i "^Lambda-Runtime-Aws-Request-Id:" | cut -d" " -f2 | tr -d "\\r")',
      '  curl -sS -o /dev/null -X POST "$api/invocation/$id/response" -d "{\\"imported\\":true}"',
      'done',
    ].join('\n');
    const zip = await makeZip([{ name: 'bootstrap', content: bootstrap, mode: 0o100755 }]);
    const imported = await cli('import-zip', 'HelloCustom', zip, '--template', template);
    expect(imported.code).toBe(0);
    expect(readFileSync(template, 'utf8')).toContain('CodeUri: packages/HelloCustom.zip');
    const invoked = await cli('invoke', 'HelloCustom', '--template', template);
    expect(invoked.stdout.trim()).toBe('{"imported":true}');
  });

  it('runs a re-imported .zip under serve', async () => {
    const template = copyExample();
    const serve = await startServe(template, home);
    try {
      const invoke = async (): Promise<string> =>
        (await fetch(`${serve.endpoint}/2015-03-31/functions/HelloNode/invocations`, { method: 'POST', body: '{}' })).text();
      for (const release of ['first', 'second']) {
        const zip = await makeZip([{ name: 'app.js', content: `exports.handler = async () => '${release} release';` }]);
        expect((await cli('import-zip', 'HelloNode', zip, '--template', template)).code).toBe(0);
        // The first import changes CodeUri and reloads the template; the second only replaces the file.
        await expect.poll(invoke, { timeout: 10_000 }).toBe(`"${release} release"`);
      }
    } finally {
      await serve.stop();
    }
  });

  it('runs an edited code folder under serve', async () => {
    const template = copyExample();
    const serve = await startServe(template, home);
    try {
      const invoke = async (): Promise<string> =>
        (await fetch(`${serve.endpoint}/2015-03-31/functions/HelloNode/invocations`, { method: 'POST', body: '{}' })).text();
      expect(await invoke()).toContain('Hello, world!');
      // The environment is warm now, with the module loaded; the edit must still show.
      writeFileSync(path.join(path.dirname(template), 'node', 'app.mjs'), "export const handler = async () => 'edited';\n");
      await expect.poll(invoke, { timeout: 10_000 }).toBe('"edited"');
      expect(serve.output()).toContain('HelloNode: code changed; new environments run the new code');
    } finally {
      await serve.stop();
    }
  });

  it('rejects an archive that escapes its folder', async () => {
    const template = copyExample();
    // yazl refuses "..", so the name is swapped in the bytes, in both places a zip stores it.
    const zip = await makeZip([{ name: 'AAAevil.txt', content: 'x' }]);
    const raw = readFileSync(zip);
    for (let at = raw.indexOf('AAAevil.txt'); at >= 0; at = raw.indexOf('AAAevil.txt', at + 1)) Buffer.from('../evil.txt').copy(raw, at);
    writeFileSync(zip, raw);
    const result = await cli('import-zip', 'HelloCustom', zip, '--template', template);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('entry "../evil.txt" would be written outside the package; rejected.');
    expect(readFileSync(template, 'utf8')).toContain('CodeUri: custom/');
    expect(existsSync(path.join(path.dirname(template), 'packages'))).toBe(false);
  });

  it('rejects a .zip over 50 MB', async () => {
    const big = Buffer.alloc(51 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2_654_435_761) >>> 0, i);
    const zip = await makeZip([{ name: 'big.bin', content: big }], false);
    const result = await cli('import-zip', 'HelloCustom', zip, '--template', copyExample());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/upload\.zip is \d+ bytes; Lambda accepts at most 52428800 bytes for a \.zip uploaded directly/);
  });

  it('runs a local image without a template', async () => {
    const result = await cli('run-image', RUN_IMAGE, '--payload', '{"a":1}');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ handler: 'handler', greeting: 'none', event: { a: 1 } });
    const other = await cli('run-image', RUN_IMAGE, '--command', 'app.other');
    expect(JSON.parse(other.stdout)).toEqual({ handler: 'other' });
  });

  it('signs a .zip that Enforce then accepts', async () => {
    const template = copyFixture('storage');
    const zip = path.join(path.dirname(template), 'signed', 'enforced.zip');
    writeFileSync(zip, readFileSync(await makeZip([{ name: 'index.js', content: 'exports.handler = async () => "signed by the CLI";' }])));
    writeFileSync(path.join(path.dirname(zip), 'warned.zip'), readFileSync(zip));
    const refused = await cli('invoke', 'Enforced', '--template', template);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('enforced.zip is not signed');
    const signed = await cli('sign', zip, '--profile', 'workshop_signer', '--template', template);
    expect(signed.code).toBe(0);
    expect(signed.stdout.trim()).toBe(`${zip}.sig`);
    const invoked = await cli('invoke', 'Enforced', '--template', template);
    expect(invoked.stdout.trim()).toBe('"signed by the CLI"');
    const unknown = await cli('sign', zip, '--profile', 'nobody', '--template', template);
    expect(unknown.stderr).toMatch(/^Signing profile nobody is not in .*; profiles there: workshop_signer\./);
  });

  it('builds and tags the image of an Image function', async () => {
    const result = await cli('package', 'ImageNode', '--template', path.resolve('test/fixtures/images/template.yaml'));
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^lambda-workbench-fn\/images-[0-9a-f]{12}-imagenode:v1$/);
  });
});
