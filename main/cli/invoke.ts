import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { errorMessage, WorkbenchError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Logger } from '../logging.js';
import { progressPrinter } from './progress.js';
import { openWorkbench, type WorkspaceOptions } from './workbench.js';

export interface InvokeOptions extends WorkspaceOptions {
  event?: string;
  payload?: string;
  qualifier?: string;
  build: boolean;
}

/**
 * Runs one invocation in a fresh environment, like `sam local invoke`: the response goes to
 * stdout, the function's log to stderr. Returns the process exit code (1 when the function failed).
 */
export async function invokeOnce(functionName: string, options: InvokeOptions, logger: Logger): Promise<number> {
  const payload = readPayload(options);
  const workbench = openWorkbench(options, logger);
  const { engine } = workbench;
  try {
    if (!engine.findFunction(functionName)) {
      const names =
        engine
          .functions()
          .map((fn) => fn.name)
          .join(', ') || 'none';
      throw new WorkbenchError(
        'FunctionNotFound',
        'caller',
        `Function ${functionName} is not in ${workbench.workspace.templatePath}; functions there: ${names}.`,
      );
    }
    await engine.start();
    // Only what this function needs: other functions' images are built when they run.
    if (options.build) await engine.ensureImages(progressPrinter(logger), [engine.findFunction(functionName)!.name]);
    const result = await engine.invoke(functionName, { requestId: randomUUID(), payload }, options.qualifier);
    const report = await result.report;
    process.stderr.write(report.log);
    process.stdout.write(`${result.payload.toString('utf8')}\n`);
    return result.status === 'success' ? 0 : 1;
  } finally {
    await workbench.close();
  }
}

/** Reads the event from --payload, --event FILE or standard input (--event -), as JSON of at most 6 MB. */
function readPayload(options: InvokeOptions): Buffer {
  if (options.payload !== undefined && options.event !== undefined) {
    throw new WorkbenchError('InvalidEvent', 'caller', 'Give the event either with --payload or with --event, not both.');
  }
  let text: string;
  let source = `--event ${options.event}`;
  if (options.payload !== undefined) source = '--payload';
  else if (options.event === '-') source = 'standard input';
  try {
    if (options.payload !== undefined) text = options.payload;
    else if (options.event === '-') text = readFileSync(0, 'utf8');
    else if (options.event) text = readFileSync(options.event, 'utf8');
    else text = '{}';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    let reason = errorMessage(error);
    if (code === 'ENOENT') reason = 'the file does not exist';
    else if (code === 'EISDIR') reason = 'it is a folder, not a file';
    throw new WorkbenchError('InvalidEvent', 'caller', `Cannot read the event from ${source}: ${reason}.`);
  }
  const bytes = Buffer.byteLength(text);
  if (bytes > LIMITS.syncRequestBytes) {
    throw new WorkbenchError(
      'InvalidEvent',
      'caller',
      `The event from ${source} is ${bytes} bytes; Lambda accepts at most ${LIMITS.syncRequestBytes} bytes for a synchronous invocation.`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new WorkbenchError('InvalidEvent', 'caller', `The event from ${source} is not valid JSON: ${errorMessage(error)}`);
  }
  return Buffer.from(text);
}
