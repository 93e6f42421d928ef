import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConsoleSession } from '../app/console-session.js';
import { BridgeServer } from '../bridge/server.js';
import { packageRoot } from '../config/package-root.js';
import type { Logger } from '../logging.js';
import { untilStopped, type ServeOptions } from './serve.js';

export interface UiOptions extends ServeOptions {
  uiPort: number;
  open: boolean;
}

/**
 * Browser mode: the console served on 127.0.0.1 with a per-start token, beside the Lambda API, for
 * machines without the Electron binary. Runs until interrupted.
 */
export async function ui(options: UiOptions, logger: Logger): Promise<void> {
  const rendererDir = path.join(packageRoot(), 'dist', 'renderer');
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`The console is not built (${rendererDir} has no index.html): run npm run build first.`);
  }
  const session = new ConsoleSession(options, logger);
  const bridge = new BridgeServer(session.app, rendererDir, logger);
  try {
    await bridge.listen(options.uiPort);
  } catch (error) {
    await session.stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`Port ${options.uiPort} is already in use; pick another with --ui-port (0 picks a free one).`, { cause: error });
    }
    throw error;
  }
  logger.info(`Console starting at ${bridge.url}`);
  if (options.open) openBrowser(bridge.url, logger);
  try {
    await session.start();
  } catch (error) {
    await bridge.close();
    throw error;
  }
  logger.info(`Console ready at ${bridge.url} (the address carries this start's token; keep it private)`);
  await untilStopped(logger, async () => {
    await bridge.close();
    await session.stop();
  });
}

/** Opens the address in the default browser; where none can be started, the printed address serves. */
function openBrowser(url: string, logger: Logger): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => logger.info(`No browser could be opened (${command} is missing); open the address above.`));
    child.unref();
  } catch {
    logger.info('No browser could be opened; open the address above.');
  }
}
