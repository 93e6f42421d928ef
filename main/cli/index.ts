import { Command, InvalidArgumentError, Option } from 'commander';
import { isWorkbenchError, TemplateError } from '../core/errors.js';
import type { RuntimeFamily } from '../core/runtimes.js';
import { createLogger, type LogLevel } from '../logging.js';
import { buildImages, FAMILIES, listImages } from './images.js';
import { invokeOnce } from './invoke.js';
import { showLogs } from './logs.js';
import { serve } from './serve.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function port(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new InvalidArgumentError(`${value} is not a port number (0 to 65535).`);
  return parsed;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${value} is not a whole number of at least 1.`);
  return parsed;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(/\s+/).filter(Boolean)];
}

const templateOption = (): Option => new Option('-t, --template <path>', 'SAM template of the workspace').default('template.yaml');
const workspaceOptions = (command: Command): Command =>
  command
    .addOption(templateOption())
    .option('--region <region>', 'AWS Region the functions see (default: AWS_REGION, else us-east-1)')
    .option('--account-id <id>', 'account id in ARNs', '123456789012')
    .option('--parameter-overrides <Name=Value...>', 'template parameter values, as Name=Value', collect, [] as string[]);

const program = new Command()
  .name('lambda-workbench')
  .description('AWS Lambda on a laptop: runs the functions of a SAM template in local Docker containers behind the Lambda APIs.')
  .addOption(new Option('--log-level <level>', "detail of the workbench's own messages").choices(LEVELS).default('info'))
  .showHelpAfterError();

const logger = () => createLogger(program.opts<{ logLevel: LogLevel }>().logLevel);

workspaceOptions(
  program
    .command('serve')
    .description('Serve the Lambda Invoke API for the workspace, for the AWS CLI and SDKs (--endpoint-url)')
    .option('-p, --port <port>', 'port of the Lambda API', port, 3001)
    .option('--host <address>', 'address to listen on; keep the loopback default unless you mean to share it', '127.0.0.1')
    .option('--no-build', 'do not build missing runtime images at start'),
).action(async (options) => {
  await serve(options, logger());
});

workspaceOptions(
  program
    .command('invoke')
    .description('Invoke one function once in a fresh container and print its response (stdout) and log (stderr)')
    .argument('<function>', 'function name or logical id')
    .option('-e, --event <file>', 'file with the JSON event; - reads standard input')
    .option('--payload <json>', 'the JSON event, inline')
    .option('--no-build', 'do not build missing runtime images first'),
).action(async (functionName: string, options) => {
  process.exitCode = await invokeOnce(functionName, options, logger());
});

workspaceOptions(
  program
    .command('logs')
    .description("Print a function's log (function output and START/END/REPORT lines)")
    .argument('<function>', 'function name or logical id')
    .option('-f, --follow', 'keep printing new lines as they arrive', false)
    .option('-n, --tail <count>', 'how many of the newest lines to print first', positiveInteger, 100)
    .option('--filter <text>', 'only lines containing this text')
    .option('--stream <name>', 'only this log stream'),
).action(async (functionName: string, options) => {
  await showLogs(functionName, options, logger());
});

const images = program.command('images').description('Manage the runtime images that functions run in');
images
  .command('build')
  .description('Build the runtime images (nodejs, python, provided) that are missing or outdated')
  .argument('[runtimes...]', `which to build: ${FAMILIES.join(', ')} (default: all)`)
  .option('--force', 'rebuild even when up to date', false)
  .action(async (runtimes: string[], options: { force: boolean }) => {
    const unknown = runtimes.filter((name) => !FAMILIES.includes(name as RuntimeFamily));
    if (unknown.length > 0)
      throw new InvalidArgumentError(`Unknown runtime image ${unknown.join(', ')}; choose from ${FAMILIES.join(', ')}.`);
    await buildImages(runtimes as RuntimeFamily[], options.force, logger());
  });
images
  .command('list')
  .description('Show which runtime images are present and up to date')
  .action(async () => listImages(logger()));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof TemplateError || isWorkbenchError(error)) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}
