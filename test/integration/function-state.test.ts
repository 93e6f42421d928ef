import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;
let zipPath: string;

async function writeZip(entries: Record<string, string>): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name, { mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(zipPath, Buffer.concat(chunks));
}

async function describeState(): Promise<{ State: string; StateReasonCode?: string; StateReason?: string }> {
  const response = await fetch(`${workbench.baseUrl}/2015-03-31/functions/Packaged/configuration`);
  return (await response.json()) as { State: string; StateReasonCode?: string; StateReason?: string };
}

beforeAll(async () => {
  const template = copyFixture('storage');
  zipPath = path.join(path.dirname(template), 'packaged.zip');
  writeFileSync(
    template,
    `Transform: AWS::Serverless-2016-10-31
Resources:
  Packaged:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: packaged.zip
      Handler: index.handler
      Runtime: nodejs20.x
`,
  );
  // Yazl refuses names with "..", so the hostile name is written over a placeholder of its length.
  await writeZip({ 'AAAevil.js': 'x' });
  const archive = readFileSync(zipPath);
  writeFileSync(zipPath, Buffer.from(archive.toString('latin1').replaceAll('AAAevil.js', '../evil.js'), 'latin1'));
  workbench = await startWorkbench(template);
});

afterAll(async () => {
  await workbench?.close();
});

describe('function state', () => {
  it('is Failed, with the reason, after a package is refused', async () => {
    const response = await workbench.invoke('Packaged', {});
    expect(response.status).toBe(400);
    expect(await describeState()).toMatchObject({ State: 'Failed', StateReasonCode: 'InvalidZip' });
    expect((await describeState()).StateReason).toContain('would be written outside the package');
  });

  it('is Active again once a good package runs', async () => {
    await writeZip({ 'index.js': "exports.handler = async () => 'fixed';" });
    const response = await workbench.invoke('Packaged', {});
    expect(response.json()).toBe('fixed');
    expect((await describeState()).State).toBe('Active');
  });
});
