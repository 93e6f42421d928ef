import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace } from '../../main/core/template/workspace.js';
import { chromiumAvailable, launchBrowser, type TestBrowser } from '../support/browser.js';
import { startConsole, type ConsoleProcess } from '../support/console-process.js';
import { copyFixture } from '../support/workbench.js';

/**
 * Checks a saved template with cfn-lint, which bundles AWS's SAM translator, and returns which
 * check ran. Where cfn-lint is not installed, the workbench's own SAM parser must accept it.
 */
function checkTemplate(template: string): string {
  const lint = spawnSync('cfn-lint', ['--', template], { encoding: 'utf8' });
  if (lint.error === undefined) {
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).stdout.trim();
    return `${version} passed`;
  }
  const workspace = loadWorkspace(template, { region: 'us-east-1', accountId: '123456789012' });
  expect(workspace.warnings).toEqual([]);
  return "cfn-lint is not installed; the workbench's SAM parser accepted it";
}

// The canvas in a real browser, against real containers: wiring by dragging and drawing lands in
// template.yaml as SAM writes it, and events passing show on the edges.
describe.runIf(chromiumAvailable())('the canvas in the browser', () => {
  let template: string;
  let console_: ConsoleProcess;
  let browser: TestBrowser;
  let page: Page;
  const readTemplate = (): string => readFileSync(template, 'utf8');
  const node = (id: string) => page.getByTestId(`canvas-node-${id}`);

  beforeAll(async () => {
    template = copyFixture('canvas');
    console_ = await startConsole(template);
    browser = await launchBrowser();
    page = browser.page;
    await page.goto(console_.url);
    await page.goto(`${console_.origin}/#/canvas`);
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await browser?.screenshot(`failed-${context.task.name.replaceAll(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await console_?.stop();
  });

  it('wires a dragged SQS trigger', async () => {
    await node('fn:Worker').waitFor();
    await node('queue:Inbox').waitFor();
    await page.getByTestId('palette-SQS').dragTo(node('fn:Worker'));
    const dialog = page.getByTestId('trigger-dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Queue', { exact: true }).selectOption('Inbox');
    await dialog.getByLabel('Batch size').fill('5');
    await page.getByTestId('trigger-dialog-add').click();
    await dialog.waitFor({ state: 'detached' });

    await expect
      .poll(readTemplate)
      .toMatch(/ {6}Events:\n {8}InboxEvent:\n {10}Type: SQS\n {10}Properties:\n {12}Queue: !GetAtt Inbox\.Arn\n {12}BatchSize: 5\n/);
    // The rest of the file is as it was: comments, order and formatting.
    expect(readTemplate()).toContain('# Reads the inbox once the canvas wires it.');
    expect(readTemplate()).toContain('Type: AWS::SQS::Queue # where work arrives');
    const checked = checkTemplate(template);
    console.log(`Saved template check: ${checked}`);
    await page.getByTestId('edge-label-queue:Inbox->fn:Worker').waitFor();
    await browser.screenshot('canvas-trigger-added');

    // The function's own pages show the same trigger, and the template's YAML as it is written.
    await page.goto(`${console_.origin}/#/functions/Worker/configuration/triggers`);
    await expect.poll(() => page.getByTestId('function-overview').textContent()).toContain('SQS · InboxEvent');
    const excerpt = await page.getByTestId('template-excerpt').textContent();
    expect(excerpt).toContain('Events:\n  InboxEvent:\n    Type: SQS');
    expect(excerpt).not.toContain('{');
    await page.goto(`${console_.origin}/#/canvas`);
    await node('fn:Worker').waitFor();
  });

  it('counts a delivered message on the edge', async () => {
    await node('queue:Inbox').click();
    const panel = page.getByTestId('queue-Inbox');
    await panel.getByLabel('Message body').fill('{"job": 1}');
    await panel.getByRole('button', { name: 'Send message' }).click();
    // The mapping polls the queue and invokes Worker in its container; the edge counts the batch.
    await expect
      .poll(
        () =>
          page
            .getByTestId('edge-label-queue:Inbox->fn:Worker')
            .locator('.edge-count')
            .textContent()
            .catch(() => null),
        { timeout: 60_000 },
      )
      .toBe('1');
  }, 90_000);

  it('sets a destination from a drawn edge', async () => {
    const from = await node('fn:Worker').locator('.react-flow__handle-right').boundingBox();
    const to = await node('queue:Results').locator('.react-flow__handle-left').boundingBox();
    await page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width / 2, to!.y + to!.height / 2, { steps: 12 });
    await page.mouse.up();
    const dialog = page.getByTestId('destination-dialog');
    await dialog.waitFor();
    await dialog.getByLabel('On success').check();
    await page.getByTestId('destination-dialog-set').click();
    await expect
      .poll(readTemplate)
      .toMatch(/ {6}EventInvokeConfig:\n {8}DestinationConfig:\n {10}OnSuccess:\n {12}Type: SQS\n {12}Destination: !GetAtt Results\.Arn\n/);
    await page.getByTestId('edge-label-fn:Worker->queue:Results').waitFor();
    console.log(`Saved template check: ${checkTemplate(template)}`);
  });

  it('removes a deleted edge from the template', async () => {
    await page.getByTestId('edge-label-queue:Inbox->fn:Worker').click();
    await page.getByTestId('remove-edge').click();
    await expect.poll(readTemplate).not.toContain('InboxEvent');
    await page.getByTestId('edge-label-queue:Inbox->fn:Worker').waitFor({ state: 'detached' });

    await page.getByTestId('edge-label-fn:Worker->queue:Results').click();
    await page.keyboard.press('Delete');
    await expect.poll(readTemplate).not.toContain('DestinationConfig');
    expect(readTemplate()).toContain('# Reads the inbox once the canvas wires it.');
  });

  it('rejects an invalid schedule', async () => {
    const before = readTemplate();
    await page.getByTestId('palette-Schedule').dragTo(node('fn:Worker'));
    const dialog = page.getByTestId('trigger-dialog');
    await dialog.getByLabel('Schedule expression').fill('rate(0 minutes)');
    await page.getByTestId('trigger-dialog-add').click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/rate\(0 minutes\)/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(readTemplate()).toBe(before);
  });

  it('opens a lab and runs its path', async () => {
    await page.goto(`${console_.origin}/#/labs`);
    await page.getByTestId('lab-s3-to-lambda').getByRole('button', { name: 'Open lab' }).click();
    await page.getByTestId('canvas-page').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('guide').textContent()).toContain('S3 to Lambda');
    expect(await page.getByTestId('workspace-name').textContent()).toContain('s3-to-lambda');

    await node('bucket:workshop-uploads').click();
    const panel = page.getByTestId('bucket-workshop-uploads');
    await panel.getByLabel('Object key').fill('photos/cat.jpg');
    await panel.getByLabel('Or write a text object').fill('meow');
    await panel.getByRole('button', { name: 'Put object' }).click();
    await expect
      .poll(
        () =>
          page
            .getByTestId('edge-label-bucket:workshop-uploads->fn:DescribeUpload')
            .locator('.edge-count')
            .textContent()
            .catch(() => null),
        {
          timeout: 60_000,
        },
      )
      .toBe('1');
    await expect.poll(() => panel.textContent()).toContain('photos/cat.jpg');
    await browser.screenshot('lab-s3-to-lambda');
    expect(await page.getByTestId('lambda-api').textContent()).toMatch(/^API http:\/\/127\.0\.0\.1:\d+$/);
    // The guide names this lab's own template where it gives commands.
    expect(await page.getByTestId('guide').textContent()).toContain('labs/s3-to-lambda/template.yaml');

    // And back to the workspace the console started with.
    await page.goto(`${console_.origin}/#/labs`);
    await page.getByRole('button', { name: /^Back to / }).click();
    await expect
      .poll(() => page.getByTestId('workspace-name').textContent(), { timeout: 60_000 })
      .toContain(path.basename(path.dirname(template)));
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  }, 120_000);
});
