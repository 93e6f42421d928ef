import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../main/config/electron-binary.js';
import { copyFixture } from '../support/workbench.js';

const binary = electronBinary();
if (!binary) {
  process.stdout.write(
    "SKIPPED: Electron launch test, because Electron's binary is not installed here (electron 45 downloads it at first launch, which needs the network).\n",
  );
}

// The desktop app: launched where an Electron binary exists, with the console in its window.
describe.runIf(binary)('desktop app', () => {
  it('opens the workspace in a sandboxed window', async () => {
    const template = copyFixture('console');
    const app = await electron.launch({
      executablePath: binary!,
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), path.resolve('dist/main/electron/main.js'), '--template', template],
      env: {
        ...process.env,
        LAMBDA_WORKBENCH_NODE: process.execPath,
        LAMBDA_WORKBENCH_HOME: mkdtempSync(path.join(os.tmpdir(), 'lwb-electron-')),
      } as Record<string, string>,
    });
    try {
      const window = await app.firstWindow();
      await window.getByTestId('function-row-Chatty').waitFor({ timeout: 60_000 });
      // The page has the preload's API and nothing of Node.js.
      expect(await window.evaluate('[typeof window.workbench, typeof process, typeof require]')).toEqual([
        'object',
        'undefined',
        'undefined',
      ]);
      // Navigation away from the console is refused.
      await window.evaluate("location.href = 'file:///etc/hostname'").catch(() => undefined);
      await window.waitForTimeout(500);
      expect(window.url()).toMatch(/^workbench:\/\/app\//);
    } finally {
      await app.close();
    }
  }, 120_000);
});
