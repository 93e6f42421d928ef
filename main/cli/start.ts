import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { electronBinary } from '../config/electron-binary.js';
import { packageRoot } from '../config/package-root.js';
import type { Logger } from '../logging.js';
import { ui, type UiOptions } from './ui.js';

/** `npm start`: the desktop app where Electron's binary exists, otherwise browser mode. */
export async function start(options: UiOptions, logger: Logger): Promise<number> {
  const binary = electronBinary();
  if (!binary) {
    logger.info("Electron's binary is not installed here, so the workbench opens in browser mode instead.");
    await ui(options, logger);
    return 0;
  }
  const mainScript = path.join(packageRoot(), 'dist', 'main', 'electron', 'main.js');
  const args = [mainScript];
  if (existsSync(options.template)) args.push('--template', path.resolve(options.template));
  // Chromium refuses to run as root without its OS sandbox off; context isolation and the
  // renderer's Node-free, sandboxed preload still apply.
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  const child = spawn(binary, args, { stdio: 'inherit', env: { ...process.env, LAMBDA_WORKBENCH_NODE: process.execPath } });
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', (error) => {
      logger.error(`Electron could not start (${error.message}); run lambda-workbench ui for browser mode.`);
      resolve(1);
    });
  });
}
