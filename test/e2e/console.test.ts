import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, type TestBrowser } from '../support/browser.js';
import { startConsole, type ConsoleProcess } from '../support/console-process.js';
import { copyFixture } from '../support/workbench.js';

// The console in a real browser against real containers, as a workshop attendee uses it: every
// flow goes through the page, and its effect is checked on disk and in the function's result.
describe.runIf(chromiumAvailable())('console in the browser', () => {
  let template: string;
  let workspace: string;
  let console_: ConsoleProcess;
  let browser: TestBrowser;
  let page: Page;

  const readTemplate = (): string => readFileSync(template, 'utf8');
  // Going through the list first remounts the page even when the address is the same.
  const openFunction = async (name: string, tab: string, section = ''): Promise<void> => {
    await page.goto(`${console_.origin}/#/functions`);
    await page.getByTestId('functions-page').waitFor();
    await page.goto(`${console_.origin}/#/functions/${name}/${tab}${section ? `/${section}` : ''}`);
    await page.getByTestId('function-page').waitFor();
  };
  // Selects everything in a Monaco editor and pastes the text, as a user would (typing would
  // set off the editor's bracket completion and indentation).
  const replaceEditorText = async (testId: string, text: string): Promise<void> => {
    const editor = page.getByTestId(testId).locator('.monaco-editor');
    await editor.waitFor();
    await editor.locator('.view-lines').click();
    await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+V');
  };

  beforeAll(async () => {
    template = copyFixture('console');
    workspace = path.dirname(template);
    console_ = await startConsole(template);
    browser = await launchBrowser();
    page = browser.page;
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: console_.origin });
    await page.goto(console_.url);
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') await browser?.screenshot(`failed-${context.task.name.replaceAll(/\W+/g, '-')}`);
  });

  afterAll(async () => {
    await browser?.close();
    await console_?.stop();
  });

  it('opens the workspace with its functions', async () => {
    await page.getByTestId('functions-table').waitFor();
    await expect.poll(() => page.getByTestId('function-row-Chatty').textContent()).toContain('nodejs20.x');
    expect(await page.getByTestId('workspace-name').textContent()).toContain(path.basename(workspace));
    await browser.screenshot('functions-list');
  });

  it('draws the function overview: triggers, the function with its layers, destinations', async () => {
    await openFunction('Chatty', 'code');
    const overview = page.getByTestId('function-overview');
    await expect.poll(() => overview.textContent()).toContain('Schedule');
    const text = await overview.textContent();
    expect(text).toContain('rate(1 day)');
    expect(text).toContain('Layers (0)');
    expect(text).toContain('ChattyFailures');
    expect(text).toContain('On failure');
    await page.getByTestId('code-editor').locator('.monaco-editor').waitFor();
    await browser.screenshot('function-page');
  });

  it('creates a Node.js function from a blueprint', async () => {
    await page.goto(`${console_.origin}/#/functions`);
    await page.getByTestId('create-function').click();
    await page.getByTestId('blueprint-hello-node').click();
    await page.getByTestId('function-name').fill('Orders');
    await browser.screenshot('create-function');
    await page.getByTestId('create-submit').click();
    await page.getByTestId('function-page').waitFor();
    expect(page.url()).toContain('#/functions/Orders/code');
    expect(readTemplate()).toMatch(/ {2}Orders:\n {4}Type: AWS::Serverless::Function\n {4}Properties:\n {6}CodeUri: Orders\//);
    expect(existsSync(path.join(workspace, 'Orders', 'index.js'))).toBe(true);
    // The template's own comments are still there.
    expect(readTemplate()).toContain('# Prints as many log lines as the event asks for');
  });

  it('refuses a second function with the same name, beside the name field', async () => {
    await page.goto(`${console_.origin}/#/create`);
    await page.getByTestId('function-name').fill('Orders');
    await page.getByTestId('create-submit').click();
    await expect
      .poll(() => page.getByTestId('create-error').textContent())
      .toContain('A function or resource named Orders is already in the template');
  });

  it('runs code edited, saved and deployed', async () => {
    await openFunction('Orders', 'test');
    await page.getByTestId('event-editor').locator('.monaco-editor').waitFor();
    await replaceEditorText('event-editor', '{ "name": "Ada" }');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('invoke-response').textContent(), { timeout: 60_000 }).toContain('Hello, Ada!');

    await page.getByTestId('tab-code').click();
    await expect.poll(() => page.getByTestId('editor-tab-index.js').count()).toBe(1);
    await replaceEditorText(
      'code-editor',
      "exports.handler = async (event) => {\n  console.log('version two');\n  return { message: `Goodbye, ${event.name}!` };\n};\n",
    );
    await page.keyboard.press('Control+s');
    await expect.poll(() => readFileSync(path.join(workspace, 'Orders', 'index.js'), 'utf8')).toContain('Goodbye');
    await expect.poll(() => page.getByTestId('code-status').textContent()).toContain('Deploy to run the new code');
    await browser.screenshot('code');
    await page.getByTestId('code-deploy').click();
    await expect.poll(() => page.getByTestId('code-status').textContent()).toContain('the next invocation runs the new code');

    await page.getByTestId('tab-test').click();
    await replaceEditorText('event-editor', '{ "name": "Ada" }');
    await page.getByTestId('invoke').click();
    await expect.poll(() => page.getByTestId('invoke-response').textContent(), { timeout: 60_000 }).toContain('Goodbye, Ada!');
    const log = (await page.getByTestId('invoke-log').textContent()) ?? '';
    expect(log).toContain('version two');
    expect(log).toMatch(
      /REPORT RequestId: [0-9a-f-]{36}\s+Duration: [\d.]+ ms\s+Billed Duration: \d+ ms\s+Memory Size: 128 MB\s+Max Memory Used: \d+ MB/,
    );
    const summary = (await page.getByTestId('invoke-summary').textContent()) ?? '';
    expect(summary).toMatch(/Billed duration\d+ ms/);
    expect(summary).toContain('Resources configured128 MB');
    await browser.screenshot('test');
  });

  it('saves a test event beside the template', async () => {
    await openFunction('Orders', 'test');
    await replaceEditorText('event-editor', '{ "name": "Grace" }');
    await page.getByTestId('event-name').fill('grace');
    await page.getByTestId('event-save').click();
    const file = path.join(workspace, 'events', 'Orders', 'grace.json');
    await expect.poll(() => existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ name: 'Grace' });
  });

  it('types spaces in the event editor', async () => {
    // Typed, not pasted: a key handler of the overview diagram once swallowed Space.
    await replaceEditorText('event-editor', '{ "name": "Grace" }');
    await page.keyboard.press('Control+End');
    for (let step = 0; step < 3; step += 1) await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Space');
    await page.getByTestId('event-name').fill('spaces');
    await page.getByTestId('event-save').click();
    const file = path.join(workspace, 'events', 'Orders', 'spaces.json');
    await expect.poll(() => existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ name: 'Grace ' });
  });

  it('shows a JSON mistake in the event beside the editor', async () => {
    await replaceEditorText('event-editor', '{ "name": ');
    await page.getByTestId('invoke').click();
    await expect.poll(() => page.getByTestId('event-error').textContent()).toContain('not valid JSON');
  });

  it('changes the timeout and keeps the template comments', async () => {
    const before = readTemplate();
    await openFunction('Chatty', 'configuration', 'general');
    await page.getByTestId('general-edit').click();
    await page.getByTestId('timeout-sec').fill('42');
    await page.getByTestId('general-save').click();
    await expect.poll(() => page.getByTestId('general-timeout').textContent()).toBe('42 sec');
    const after = readTemplate();
    expect(after).toContain('      Timeout: 42 # seconds: enough to print 100,000 lines');
    expect(after).toContain('# Workspace of the console tests');
    expect(after).toContain('MemorySize: 128 # small functions for a small laptop');
    expect(after.replace('Timeout: 42', 'Timeout: 30')).toBe(before);
    await browser.screenshot('configuration');
  });

  it('shows a bad timeout inline and changes nothing', async () => {
    const before = readTemplate();
    await openFunction('Chatty', 'configuration', 'general');
    await page.getByTestId('general-edit').click();
    await page.getByTestId('timeout-min').fill('16');
    await page.getByTestId('general-save').click();
    await expect.poll(() => page.getByTestId('error-timeoutSeconds').textContent()).toContain('900');
    expect(await page.getByTestId('timeout-min').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('timeout-min').fill('0');
    await page.getByTestId('general-memory-input').fill('100');
    await page.getByTestId('general-save').click();
    await expect.poll(() => page.getByTestId('error-memoryMb').textContent()).toContain('128');
    await browser.screenshot('configuration-error');
    expect(readTemplate()).toBe(before);
  });

  it('refuses a reserved environment variable by name', async () => {
    const before = readTemplate();
    await openFunction('Chatty', 'configuration', 'environment');
    await page.getByTestId('environment-edit').click();
    await page.getByTestId('environment-add').click();
    await page.getByTestId('environment-key-1').fill('AWS_REGION');
    await page.getByTestId('environment-value-1').fill('eu-west-1');
    await page.getByTestId('environment-save').click();
    await expect.poll(() => page.getByTestId('environment-error').textContent()).toContain('AWS_REGION is reserved');
    expect(readTemplate()).toBe(before);
  });

  it('writes environment variables and tags into the template', async () => {
    await openFunction('Chatty', 'configuration', 'environment');
    await page.getByTestId('environment-edit').click();
    await page.getByTestId('environment-add').click();
    await page.getByTestId('environment-key-1').fill('STAGE');
    await page.getByTestId('environment-value-1').fill('workshop');
    await page.getByTestId('environment-save').click();
    await expect.poll(() => readTemplate()).toContain('STAGE: workshop');
    expect(readTemplate()).toContain('MODE: test');
  });

  it('shows an edit made outside the workbench without a restart', async () => {
    await openFunction('Chatty', 'configuration', 'general');
    writeFileSync(template, readTemplate().replace('      Timeout: 42', '      MemorySize: 512\n      Timeout: 42'));
    await expect.poll(() => page.getByTestId('general-memory').textContent(), { timeout: 15_000 }).toBe('512 MB');
  });

  it('says plainly which configuration pages are not built yet', async () => {
    await openFunction('Chatty', 'configuration', 'state-machines');
    expect(await page.getByTestId('config-notice').textContent()).toContain('not built yet');
    await page.getByTestId('config-vpc').click();
    await expect.poll(() => page.getByTestId('config-notice').textContent()).toContain('not applied');
  });

  it('tails logs live and keeps 100,000 lines fluid', async () => {
    await openFunction('Chatty', 'monitor');
    await page.getByTestId('log-view').waitFor();
    const response = await fetch(`${console_.endpoint}/2015-03-31/functions/Chatty/invocations`, {
      method: 'POST',
      body: JSON.stringify({ lines: 100_000 }),
    });
    expect(await response.json()).toEqual({ printed: 100_000 });
    // Live tail: the lines arrive without a reload (START, 100,000 lines, END, REPORT).
    await expect.poll(() => page.getByTestId('log-view').getAttribute('data-line-count'), { timeout: 60_000 }).toBe('100003');
    await browser.screenshot('monitor');
    // Only the rows on screen exist in the page.
    expect(await page.getByTestId('log-line').count()).toBeLessThan(120);
    // Live tail followed the lines to the end.
    await expect.poll(() => page.getByTestId('log-view').textContent()).toContain('REPORT RequestId');
    // Scrolling back to the top shows the first lines, and stops the view from following.
    await page.getByTestId('log-view').evaluate((element) => {
      (element as unknown as { scrollTop: number }).scrollTop = 0;
    });
    await expect.poll(() => page.getByTestId('log-view').textContent()).toContain('line 1 of 100000');
    await page.getByTestId('log-filter').fill('line 99999 of');
    await expect.poll(() => page.getByTestId('log-count').textContent()).toContain('1 of 100,003 events');
    // Metrics refresh every 5 seconds.
    await expect.poll(() => page.getByTestId('chart-invocations').textContent(), { timeout: 10_000 }).toContain('1 in range');
  });

  it('makes no request beyond 127.0.0.1 and throws no page error', () => {
    expect(browser.foreignRequests).toEqual([]);
    expect(browser.pageErrors).toEqual([]);
  });
});
