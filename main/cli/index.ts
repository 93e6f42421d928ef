import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { RuntimeFamily } from '../core/runtimes.js';
import { createLogger, type LogLevel } from '../logging.js';
import { buildImages, FAMILIES, listImages } from './images.js';
import { invokeOnce } from './invoke.js';
import { showLogs } from './logs.js';
import { busEvents, listMessaging, receiveMessages, topicMessages } from './messaging.js';
import { showMetrics } from './metrics.js';
import { importZip, packageCommand, runImage } from './packaging.js';
import { serve } from './serve.js';
import { signCommand } from './sign.js';
import { listObjects, publishMessage, putEvent, putObject, removeObject, sendMessage } from './sources.js';
import { start } from './start.js';
import { ui } from './ui.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integerIn(min: number, max: number, what: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(`${value} is not ${what} (a whole number from ${min} to ${max}).`);
    return parsed;
  };
}

function numberIn(min: number, max: number, what: string) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(`${value} is not ${what} (a number from ${min} to ${max}).`);
    return parsed;
  };
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

const schedulerOptions = (command: Command): Command =>
  command
    .option(
      '--account-concurrency <count>',
      'concurrent executions of the whole account (Lambda default 1000)',
      integerIn(1, 100_000, 'a concurrency'),
    )
    .option('--workshop', 'use the limits of a new AWS account: account concurrency 10', false)
    .option(
      '--time-scale <factor>',
      'run retry delays, event ages and keep-warm periods this many times faster (1 = real time)',
      numberIn(1, 3_600, 'a time scale'),
    )
    .option(
      '--keep-warm <seconds>',
      'how long an idle execution environment stays warm (default 600)',
      integerIn(1, 86_400, 'a number of seconds'),
    );

const program = new Command()
  .name('lambda-workbench')
  .description('AWS Lambda on a laptop: runs the functions of a SAM template in local Docker containers behind the Lambda APIs.')
  .addOption(new Option('--log-level <level>', "detail of the workbench's own messages").choices(LEVELS).default('info'))
  .addHelpText('after', '\nData (logs, queues, versions) is kept under $LAMBDA_WORKBENCH_HOME, by default ~/.local/share/lambda-workbench.')
  .showHelpAfterError();

// npm runs scripts (npm start) in the package's folder and names the folder it was called from in
// INIT_CWD: a relative --template is read from there, as the user typed it.
program.hook('preAction', (_program, command) => {
  const template = command.getOptionValue('template') as unknown;
  if (typeof template === 'string' && !path.isAbsolute(template) && process.env.INIT_CWD) {
    command.setOptionValue('template', path.resolve(process.env.INIT_CWD, template));
  }
});

const logLevel = (): LogLevel => program.opts<{ logLevel: LogLevel }>().logLevel;
const logger = () => createLogger(logLevel());

schedulerOptions(
  workspaceOptions(
    program
      .command('serve')
      .description('Serve the Lambda API for the workspace, for the AWS CLI and SDKs (--endpoint-url); stop it with Ctrl-C')
      .option('-p, --port <port>', 'port of the Lambda API', integerIn(0, 65_535, 'a port'), 3001)
      .option('--host <address>', 'address to listen on; keep the loopback default unless you mean to share it', '127.0.0.1')
      .option('--no-build', 'do not build missing runtime images at start'),
  ),
).action(async (options) => {
  await serve(options, logger());
});

const consoleOptions = (command: Command): Command =>
  schedulerOptions(
    workspaceOptions(
      command
        .option('-p, --port <port>', 'port of the Lambda API (another is picked if it is taken)', integerIn(0, 65_535, 'a port'), 3001)
        .option('--ui-port <port>', 'port of the console in browser mode (0 picks a free one)', integerIn(0, 65_535, 'a port'), 0)
        .option('--no-open', 'print the console address instead of opening the default browser')
        .option('--no-build', 'do not build missing runtime images at start'),
    ),
  );

consoleOptions(
  program
    .command('ui')
    .description('Open the console in the default browser (browser mode), served on 127.0.0.1 with the Lambda API; stop it with Ctrl-C'),
).action(async (options) => {
  await ui({ ...options, host: '127.0.0.1' }, logger());
});

consoleOptions(
  program.command('start').description('Open the desktop app; where the Electron binary is missing, open browser mode instead'),
).action(async (options) => {
  process.exitCode = await start({ ...options, host: '127.0.0.1' }, logger());
});

schedulerOptions(
  workspaceOptions(
    program
      .command('start-api')
      .description(
        "Serve the template's Api and HttpApi events over HTTP, as `sam local start-api` does, with the Lambda API and every other event source",
      )
      .option('--api-port <port>', 'port of the API routes (0 picks a free one)', integerIn(0, 65_535, 'a port'), 3000)
      .option('-p, --port <port>', 'port of the Lambda API', integerIn(0, 65_535, 'a port'), 3001)
      .option('--host <address>', 'address of the Lambda API; keep the loopback default unless you mean to share it', '127.0.0.1')
      .option('--no-build', 'do not build missing runtime images at start'),
  ),
).action(async (options) => {
  await serve(options, logger());
});

schedulerOptions(
  workspaceOptions(
    program
      .command('invoke')
      .description('Invoke one function once in a fresh container and print its response (stdout) and log (stderr)')
      .argument('<function>', 'function name or logical id')
      .option('-e, --event <file>', 'file with the JSON event; - reads standard input (default: the event {})')
      .option('--payload <json>', 'the JSON event, inline (instead of --event)')
      .option('-q, --qualifier <version-or-alias>', 'a published version or an alias to invoke instead of $LATEST')
      .option('--no-build', 'do not build missing runtime images first'),
  ),
).action(async (functionName: string, options) => {
  process.exitCode = await invokeOnce(functionName, options, logger());
});

workspaceOptions(
  program
    .command('logs')
    .description("Print a function's log (function output and START/END/REPORT lines)")
    .argument('<function>', 'function name or logical id')
    .option('-f, --follow', 'keep printing new lines as they arrive', false)
    .option('-n, --tail <count>', 'how many of the newest lines to print first', integerIn(1, 1_000_000, 'a line count'), 100)
    .option('--filter <text>', 'only lines containing this text')
    .option('--stream <name>', 'only this log stream, such as 2026/12/04/[$LATEST]0123abcd...'),
).action(async (functionName: string, options) => {
  await showLogs(functionName, options, logger());
});

workspaceOptions(
  program
    .command('package')
    .description("Write a function's deployable .zip and its layers' .zip files, or build and tag its image")
    .argument('<function>', 'function name or logical id')
    .option('-o, --output <folder>', 'folder for the .zip files', 'dist/packages'),
).action(async (functionName: string, options) => {
  await packageCommand(functionName, options, logger());
});

workspaceOptions(
  program
    .command('import-zip')
    .description("Use a .zip (at most 50 MB) as a function's code: it is checked, copied into the workspace and named in CodeUri")
    .argument('<function>', 'function name or logical id')
    .argument('<zip>', 'the .zip file'),
).action(async (functionName: string, zipFile: string, options) => {
  await importZip(functionName, zipFile, options, logger());
});

program
  .command('run-image')
  .description('Invoke any local Lambda container image once, without a template')
  .argument('<image>', 'image name or id, present in the local Docker engine')
  .option('-e, --event <file>', 'file with the JSON event; - reads standard input (default: the event {})')
  .option('--payload <json>', 'the JSON event, inline (instead of --event)')
  .option('--command <word...>', "override the image's command (its handler), as ImageConfig.Command does")
  .option('--memory <mb>', 'memory size in MB', integerIn(128, 10_240, 'a memory size'), 128)
  .option('--timeout <seconds>', 'timeout in seconds', integerIn(1, 900, 'a timeout'), 3)
  .action(async (image: string, options) => {
    process.exitCode = await runImage(image, { ...options, build: false }, logger());
  });

program
  .command('sign')
  .description('Sign a .zip with a local signing profile (its key pair is made on first use); writes <zip>.sig')
  .argument('<zip>', 'the .zip to sign')
  .requiredOption('--profile <name>', 'signing profile name (ProfileName of an AWS::Signer::SigningProfile)')
  .option(
    '-t, --template <path>',
    'SAM template that declares the profile (default: template.yaml when present); its validity period applies',
  )
  .option('--region <region>', 'AWS Region in the profile ARN (default: AWS_REGION, else us-east-1)')
  .option('--account-id <id>', 'account id in the profile ARN', '123456789012')
  .option('--validity-days <days>', 'how long the signature stays valid, in days', integerIn(0, 36_500, 'a number of days'))
  .action((zipFile: string, options) => signCommand(zipFile, options, logger()));

program
  .command('metrics')
  .description("Print a function's metrics per minute: invocations, errors, throttles, duration, concurrency")
  .argument('<function>', 'function name')
  .addOption(templateOption())
  .option('--minutes <count>', 'how far back to look', integerIn(1, 100_000, 'a number of minutes'), 60)
  .action((functionName: string, options) => showMetrics(functionName, options));

const queue = program.command('queue').description("The workbench's local SQS queues (destinations, dead-letter queues)");
queue
  .command('list')
  .description('List the local queues, topics and event buses with their message counts')
  .addOption(templateOption())
  .action((options) => listMessaging(options));
queue
  .command('receive')
  .description('Receive messages from a queue, as SQS ReceiveMessage does')
  .argument('<queue>', 'queue name')
  .addOption(templateOption())
  .option('--max <count>', 'at most this many messages', integerIn(1, 10_000, 'a message count'), 10)
  .option('--visibility-timeout <seconds>', 'how long received messages stay hidden', integerIn(0, 43_200, 'a number of seconds'), 30)
  .option('--peek', 'only list the messages, without receiving them', false)
  .option('--delete', 'delete the messages after receiving them', false)
  .action((name: string, options) => receiveMessages(name, options));

queue
  .command('send')
  .description('Send a message to a queue; a running serve or console delivers it to mapped functions')
  .argument('<queue>', 'queue name')
  .argument('<body>', 'message body')
  .addOption(templateOption())
  .option('--group-id <id>', 'message group of a FIFO queue')
  .option('--deduplication-id <id>', 'deduplication id of a FIFO queue')
  .option('--attribute <Name=Value...>', 'string message attributes', collect, [] as string[])
  .action((name: string, body: string, options) => sendMessage(name, body, options, logger()));

program
  .command('publish')
  .description('Publish a message to a local SNS topic; a running serve or console invokes its subscribed functions')
  .argument('<topic>', 'topic name')
  .argument('<message>', 'message text')
  .addOption(templateOption())
  .option('--subject <subject>', 'message subject')
  .option('--attribute <Name=Value...>', 'string message attributes', collect, [] as string[])
  .action((name: string, message: string, options) => publishMessage(name, message, options, logger()));

program
  .command('put-event')
  .description('Put an event on a local EventBridge bus; a running serve or console runs the matching rules')
  .requiredOption('--source <source>', 'the event source, such as shop.orders')
  .requiredOption('--detail-type <type>', 'the detail-type, such as OrderPlaced')
  .option('--detail <json>', 'the detail, as JSON', '{}')
  .option('--bus <name>', 'event bus name', 'default')
  .addOption(templateOption())
  .action((options) => putEvent(options, logger()));

const s3 = program.command('s3').description("The workspace's S3 buckets, kept as folders in its data folder");
s3.command('put')
  .description('Put a file into a bucket as an object; a running serve or console sends the notifications')
  .argument('<bucket>', 'bucket name')
  .argument('<key>', 'object key')
  .argument('<file>', 'the file to put')
  .addOption(templateOption())
  .action((bucket: string, key: string, file: string, options) => putObject(bucket, key, file, options, logger()));
s3.command('rm')
  .description('Remove an object from a bucket')
  .argument('<bucket>', 'bucket name')
  .argument('<key>', 'object key')
  .addOption(templateOption())
  .action((bucket: string, key: string, options) => removeObject(bucket, key, options, logger()));
s3.command('ls')
  .description("List a bucket's objects")
  .argument('<bucket>', 'bucket name')
  .addOption(templateOption())
  .action((bucket: string, options) => listObjects(bucket, options, logger()));

program
  .command('topic')
  .description('List the messages published to a local SNS topic')
  .argument('<topic>', 'topic name')
  .addOption(templateOption())
  .option('--max <count>', 'at most this many messages', integerIn(1, 100_000, 'a message count'), 100)
  .action((name: string, options) => topicMessages(name, options));

program
  .command('bus')
  .description('List the events put on a local EventBridge bus')
  .argument('<bus>', 'event bus name, such as default')
  .addOption(templateOption())
  .option('--max <count>', 'at most this many events', integerIn(1, 100_000, 'an event count'), 100)
  .action((name: string, options) => busEvents(name, options));

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
  // Expected failures print their message; the stack is for --log-level debug.
  const debug = ['debug', 'trace'].includes(logLevel());
  let text = String(error);
  if (error instanceof Error) text = debug ? (error.stack ?? error.message) : error.message;
  process.stderr.write(`${text}\n`);
  process.exitCode = 1;
}
