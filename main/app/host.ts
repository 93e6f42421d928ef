/**
 * The desktop app's engine process. Electron's main process starts this file with the system's
 * Node.js (so native modules such as better-sqlite3 keep Node's ABI, and a crash here never takes
 * the window down), sends it console calls over the IPC channel, and receives push events.
 *
 * Messages in: { id, channel, args }. Messages out: { type: 'result', id, envelope },
 * { type: 'push', event, payload }, { type: 'ready', endpoint } and { type: 'failed', message }.
 */
import { errorMessage } from '../core/errors.js';
import { createLogger } from '../logging.js';
import { ConsoleSession } from './console-session.js';

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
  const session = new ConsoleSession({ template: options.template, port: options.port, host: '127.0.0.1', build: true }, logger);
  session.app.on('push', (event, payload) => send({ type: 'push', event, payload }));
  process.on('message', (message: Incoming) => {
    void session.app.call(message.channel, message.args).then((envelope) => send({ type: 'result', id: message.id, envelope }));
  });
  const service = await session.start();
  send({ type: 'ready', endpoint: service.endpoint });
  process.on('uncaughtException', (error) => logger.error({ err: error }, 'Unexpected error; still serving'));
  // The window closed or the app quit: stop the containers, then exit.
  process.once('disconnect', () => {
    void session.stop().finally(() => process.exit(0));
  });
} catch (error) {
  send({ type: 'failed', message: errorMessage(error) });
  logger.error(errorMessage(error));
  process.exitCode = 1;
  process.disconnect();
}
