/**
 * The desktop app's engine process. Electron's main process starts this file with the system's
 * Node.js (so native modules such as better-sqlite3 keep Node's ABI, and a crash here never takes
 * the window down), sends it console calls over the IPC channel, and receives push events.
 *
 * Messages in: { id, channel, args }. Messages out: { type: 'result', id, envelope },
 * { type: 'push', event, payload }, { type: 'ready', endpoint } and { type: 'failed', message }.
 */
import path from 'node:path';
import { packageRoot } from '../config/package-root.js';
import { errorMessage } from '../core/errors.js';
import { createLogger } from '../logging.js';
import { announce, startLambdaService, stopService } from '../cli/serve.js';
import { openWorkbench } from '../cli/workbench.js';
import { WorkbenchApp } from './app.js';

interface HostOptions {
  template: string;
  port: number;
}

type Incoming = { id: number; channel: string; args: unknown };

if (!process.send) {
  process.stderr.write('host.js runs as a child of the desktop app (with an IPC channel); use `lambda-workbench ui` instead.\n');
  process.exit(2);
}

const send = (message: unknown): void => {
  if (process.connected) process.send!(message);
};
const options = JSON.parse(process.argv[2] ?? '{}') as HostOptions;
const logger = createLogger((process.env.LAMBDA_WORKBENCH_LOG_LEVEL as 'info' | undefined) ?? 'info');

try {
  const workbench = openWorkbench({ template: options.template }, logger, true);
  const app = new WorkbenchApp(workbench, path.join(packageRoot(), 'resources'), logger);
  app.on('push', (event, payload) => send({ type: 'push', event, payload }));
  process.on('message', (message: Incoming) => {
    void app.call(message.channel, message.args).then((envelope) => send({ type: 'result', id: message.id, envelope }));
  });
  const starting = startLambdaService(
    workbench,
    { port: options.port, host: '127.0.0.1', build: true, fallbackPort: true },
    logger,
    (line) => {
      logger.info(line);
      app.progress(line);
    },
  );
  app.waitFor(starting);
  const service = await starting;
  announce(service, logger);
  send({ type: 'ready', endpoint: service.endpoint });
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'Unexpected error; still serving'));
  // The window closed or the app quit: stop the containers, then exit.
  process.once('disconnect', () => {
    void stopService(service).finally(() => process.exit(0));
  });
} catch (error) {
  send({ type: 'failed', message: errorMessage(error) });
  logger.error(errorMessage(error));
  process.exitCode = 1;
  process.disconnect();
}
