import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import type { Page } from 'playwright-core';
import yazl from 'yazl';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, type TestBrowser } from '../support/browser.js';
import { startConsole, type ConsoleProcess } from '../support/console-process.js';
import { removeWorkspaceImages } from '../support/docker-images.js';
import { copyFixture } from '../support/workbench.js';

/** Writes a .zip holding one index.js and returns its path. */
async function zipWithHandler(body: string): Promise<string> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from(`exports.handler = async () => ${body};`), 'index.js', { mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-upload-')), 'upload.zip');
  writeFileSync(file, Buffer.concat(chunks));
  return file;
}

// The console's package pages in a real browser against real containers: image functions, .zip
// upload, layers, file systems, code signing and variables inherited from Globals.
describe.runIf(chromiumAvailable())('console package pages', () => {
  let template: string;
  let console_: ConsoleProcess;
  let browser: TestBrowser;
  let page: Page;

  const readTemplate = (): string => readFileSync(template, 'utf8');
  const openFunction = async (name: string, tab: string, section = ''): Promise<void> => {
    await page.goto(`${console_.origin}/#/functions`);
    await page.getByTestId('functions-page').waitFor();
    await page.goto(`${console_.origin}/#/functions/${name}/${tab}${section ? `/${section}` : ''}`);
    await page.getByTestId('function-page').waitFor();
  };
  const invokeFromTestTab = async (name: string): Promise<string> => {
    await openFunction(name, 'test');
    await page.getByTestId('invoke').click();
    await page.getByTestId('invoke-result').waitFor({ timeout: 120_000 });
    return (await page.getByTestId('invoke-result').textContent()) ?? '';
  };

  beforeAll(async () => {
    template = copyFixture('console');
    console_ = await startConsole(template);
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(console_.url);
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await browser?.screenshot(`failed-${context.task.name.replaceAll(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await console_?.stop();
    if (template) removeWorkspaceImages(template);
  });

  it('builds an image function from its blueprint, with the build output', async () => {
    await page.goto(`${console_.origin}/#/create`);
    await page.getByTestId('blueprint-image-node').click();
    await page.getByTestId('function-name').fill('Pictures');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('image-panel').waitFor();
    expect(readTemplate()).toMatch(/ {2}Pictures:\n {4}Type: AWS::Serverless::Function\n {4}Properties:\n {6}PackageType: Image/);
    await page.getByTestId('image-build').click();
    await expect
      .poll(() => page.getByTestId('image-build-log').textContent(), { timeout: 120_000 })
      .toContain('Built lambda-workbench-fn/');
    await expect.poll(() => page.getByTestId('image-digest').textContent()).toMatch(/sha256:[0-9a-f]{64}/);
    await browser.screenshot('image-function');
    expect(await invokeFromTestTab('Pictures')).toContain('Hello from a container image');
  });

  it('runs an uploaded .zip', async () => {
    await openFunction('Chatty', 'code');
    await expect.poll(() => page.getByTestId('size-package').textContent()).toContain('of 50.0 MB');
    await page.getByTestId('zip-input').setInputFiles(await zipWithHandler("'from the uploaded zip'"));
    await expect.poll(() => page.getByTestId('zip-notice').textContent()).toContain('CodeUri is now packages/Chatty.zip');
    expect(readTemplate()).toContain('CodeUri: packages/Chatty.zip');
    await browser.screenshot('package');
    expect(await invokeFromTestTab('Chatty')).toContain('from the uploaded zip');
  });

  it('refuses a file that is not a .zip, beside the drop zone', async () => {
    await openFunction('Chatty', 'code');
    const notZip = path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-upload-')), 'notes.zip');
    writeFileSync(notZip, 'plain text');
    await page.getByTestId('zip-input').setInputFiles(notZip);
    await expect.poll(() => page.getByTestId('zip-error').textContent()).toContain('not a .zip archive');
  });

  it('adds a layer in the layers panel', async () => {
    await openFunction('Chatty', 'code');
    await page.getByTestId('layers-edit').click();
    await page.getByTestId('layers-choice').selectOption({ label: 'shared:1 (nodejs20.x)' });
    await page.getByTestId('layers-add').click();
    await page.getByTestId('layers-save').click();
    await expect.poll(() => page.getByTestId('layers-panel').textContent()).toContain('shared');
    expect(readTemplate()).toMatch(/Layers:\n\s+- !Ref SharedLayer/);
  });

  it('mounts a file system, and refuses a bad mount path in place', async () => {
    await openFunction('Chatty', 'configuration', 'file-systems');
    await page.getByTestId('file-systems-edit').click();
    await page.getByTestId('file-systems-access-point').selectOption({ index: 1 });
    await page.getByTestId('file-systems-mount-path').fill('/data');
    const before = readTemplate();
    await page.getByTestId('file-systems-save').click();
    await expect.poll(() => page.getByTestId('file-systems-error').textContent()).toContain('/mnt/');
    expect(readTemplate()).toBe(before);
    await page.getByTestId('file-systems-mount-path').fill('/mnt/shared');
    await page.getByTestId('file-systems-save').click();
    await expect.poll(() => readTemplate()).toContain('LocalMountPath: /mnt/shared');
    await expect.poll(() => page.getByTestId('file-systems').textContent()).toContain('Folder on this machine');
    expect(await page.getByTestId('file-systems').textContent()).toContain(path.join('efs', 'Files', 'lambda'));
  });

  it('sets code signing that then refuses the unsigned package', async () => {
    await openFunction('Chatty', 'configuration', 'code-signing');
    await page.getByTestId('code-signing-choice').selectOption({ index: 1 });
    await page.getByTestId('code-signing-save').click();
    await expect.poll(() => page.getByTestId('code-signing-policy').textContent()).toBe('Enforce');
    expect(readTemplate()).toContain('CodeSigningConfigArn: !Ref StrictSigning');
    expect(await invokeFromTestTab('Chatty')).toContain('not signed');
    await openFunction('Chatty', 'configuration', 'code-signing');
    await expect.poll(() => page.getByTestId('code-signing-last-check').textContent()).toContain('not trusted');
    await browser.screenshot('code-signing');
    await page.getByTestId('code-signing-choice').selectOption({ value: '' });
    await page.getByTestId('code-signing-save').click();
    await expect.poll(() => readTemplate()).not.toContain('CodeSigningConfigArn');
  });

  it('keeps variables from Globals in Globals', async () => {
    await openFunction('Chatty', 'configuration', 'environment');
    await expect.poll(() => page.getByTestId('environment-inherited').textContent()).toContain('from Globals');
    await page.getByTestId('environment-edit').click();
    await page.getByTestId('environment-add').click();
    await page.getByTestId('environment-key-1').fill('LEVEL');
    await page.getByTestId('environment-value-1').fill('debug');
    await page.getByTestId('environment-save').click();
    await expect.poll(() => readTemplate()).toContain('LEVEL: debug');
    const source = readTemplate();
    expect(source.match(/SHARED: from-globals/g)).toHaveLength(1);
    expect(source.indexOf('SHARED: from-globals')).toBeLessThan(source.indexOf('Resources:'));
  });

  it('makes no request beyond 127.0.0.1 and throws no page error', () => {
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
