import { mkdtempSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, TAIL, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let zipWorkbench: TestWorkbench;

beforeAll(async () => {
  workbench = await startWorkbench(path.resolve('test/fixtures/behaviours/template.yaml'));
  zipWorkbench = await startWorkbench(await zipWorkspace());
});

afterAll(async () => {
  await workbench?.close();
  await zipWorkbench?.close();
});

/** Creates a workspace whose custom runtime comes as a .zip with an executable bootstrap inside. */
async function zipWorkspace(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-zip-'));
  const zip = new yazl.ZipFile();
  const bootstrap = [
    '#!/bin/sh',
    'api="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"',
    'while true; do',
    '  id=$(curl -sS -D - -o /tmp/event "$api/invocation/next" | grep -i "^Lambda-Runtime-Aws-Request-Id:" | cut -d" " -f2 | tr -d "\\r")',
    '  curl -sS -o /dev/null -X POST "$api/invocation/$id/response" -d "{\\"fromZip\\":true,\\"helper\\":\\"$(lib/helper.sh)\\"}"',
    'done',
    '',
  ].join('\n');
  zip.addBuffer(Buffer.from(bootstrap), 'bootstrap', { mode: 0o100755 });
  zip.addBuffer(Buffer.from('#!/bin/sh\necho helped\n'), 'lib/helper.sh', { mode: 0o100755 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(path.join(dir, 'function.zip'), Buffer.concat(chunks));
  writeFileSync(
    path.join(dir, 'template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  ZippedShell:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: function.zip',
      '      Handler: x',
      '      Runtime: provided.al2',
    ].join('\n'),
  );
  mkdirSync(path.join(dir, 'unused'));
  chmodSync(path.join(dir, 'function.zip'), 0o644);
  return path.join(dir, 'template.yaml');
}

describe('custom runtimes and other packages', () => {
  it('runs a shell bootstrap', async () => {
    const response = await workbench.invoke('ShellRuntime', { ping: 1 }, TAIL);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ requestId, event: { ping: 1 } });
    expect(response.log).toContain(`shell runtime handling ${requestId}`);
  });

  it('runs inline Code.ZipFile code', async () => {
    expect((await workbench.invoke('InlineNode', { a: 1 })).json()).toEqual({ inline: true, echo: { a: 1 } });
  });

  it('runs a .zip keeping executable bits', async () => {
    const response = await zipWorkbench.invoke('ZippedShell', {});
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.json()).toEqual({ fromZip: true, helper: 'helped' });
  });
});
