import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { WorkbenchError } from '../core/errors.js';
import type { Logger } from '../logging.js';
import { progressPrinter } from './progress.js';
import { openWorkbench, type WorkspaceOptions } from './workbench.js';

export interface InvokeOptions extends WorkspaceOptions {
  event?: string;
  payload?: string;
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
    if (options.build) await engine.ensureImages(progressPrinter(logger));
    const result = await engine.invoke(functionName, { requestId: randomUUID(), payload });
    const report = await result.report;
    process.stderr.write(report.log);
    process.stdout.write(`${result.payload.toString('utf8')}\n`);
    return result.status === 'success' ? 0 : 1;
  } finally {
    await workbench.close();
  }
}

function readPayload(options: InvokeOptions): Buffer {
  let text: string;
  if (options.payload !== undefined) text = options.payload;
  else if (options.event === '-') text = readFileSync(0, 'utf8');
  else if (options.event) text = readFileSync(options.event, 'utf8');
  else text = '{}';
  try {
    JSON.parse(text);
  } catch (error) {
    const source = options.payload !== undefined ? '--payload' : `--event ${options.event}`;
    throw new WorkbenchError('InvalidEvent', 'caller', `The event from ${source} is not valid JSON: ${(error as Error).message}`);
  }
  return Buffer.from(text);
}
