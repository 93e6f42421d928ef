import { setTimeout as sleep } from 'node:timers/promises';
import { logGroupName } from '../core/lambda-format.js';
import type { Logger } from '../logging.js';
import type { LogEvent } from '../store/log-store.js';
import { logStoreFor, openWorkspace, type WorkspaceOptions } from './workbench.js';
import { WorkbenchError } from '../core/errors.js';
import { findFunction } from '../core/template/workspace.js';

export interface LogsOptions extends WorkspaceOptions {
  follow: boolean;
  tail: number;
  filter?: string;
  stream?: string;
}

/** Prints a function's log group, oldest first, and with --follow keeps printing what arrives. */
export async function showLogs(functionName: string, options: LogsOptions, logger: Logger): Promise<void> {
  const workspace = openWorkspace(options, logger);
  const fn = findFunction(workspace, functionName);
  if (!fn) {
    const names = workspace.functions.map((candidate) => candidate.name).join(', ') || 'none';
    throw new WorkbenchError(
      'FunctionNotFound',
      'caller',
      `Function ${functionName} is not in ${workspace.templatePath}; functions there: ${names}.`,
    );
  }
  const store = logStoreFor(workspace.templatePath);
  const group = logGroupName(fn.name);
  const query = {
    groupName: group,
    ...(options.stream ? { streamName: options.stream } : {}),
    ...(options.filter ? { contains: options.filter } : {}),
  };
  try {
    let lastId = 0;
    const print = (events: LogEvent[]): void => {
      for (const event of events) {
        process.stdout.write(`${new Date(event.timestampMs).toISOString()} ${event.streamName} ${event.message}\n`);
        lastId = event.id;
      }
    };
    print(store.query({ ...query, limit: options.tail }));
    if (!options.follow) return;
    let stopped = false;
    process.once('SIGINT', () => (stopped = true));
    while (!stopped) {
      await sleep(250);
      print(store.query({ ...query, afterId: lastId }));
    }
  } finally {
    store.close();
  }
}
