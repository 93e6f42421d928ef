// @ts-check
/**
 * The workbench's Node.js runtime interface client: loads the handler named by _HANDLER, then
 * takes invocations from the Lambda Runtime API one at a time and posts each result back.
 */
import { formatForLog, toErrorBody, unhandledPromiseRejection } from './errors.mjs';
import { loadHandler } from './handler-loader.mjs';
import { patchConsole, setCurrentRequestId, writeLogLine } from './log-patch.mjs';
import { countOutput } from './output-counter.mjs';
import { RapidClient } from './rapid-client.mjs';

const client = new RapidClient(requiredEnv('AWS_LAMBDA_RUNTIME_API'));
/** @type {string | undefined} request id of the invocation in progress */
let activeRequestId;

countOutput();
patchConsole();
installCrashHandlers();

/** @type {Function} */
let handler;
try {
  handler = await loadHandler(process.env.LAMBDA_TASK_ROOT ?? '/var/task', requiredEnv('_HANDLER'));
} catch (error) {
  writeLogLine('ERROR', ['Uncaught Exception', `\t${formatForLog(error)}`]);
  await client.postInitError(toErrorBody(error)).catch(() => undefined);
  process.exit(129);
}

for (;;) {
  let invocation;
  try {
    invocation = await client.next();
  } catch (error) {
    process.stderr.write(`Cannot reach the Runtime API: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  activeRequestId = invocation.requestId;
  setCurrentRequestId(invocation.requestId);
  if (invocation.traceId) process.env._X_AMZN_TRACE_ID = invocation.traceId;
  else delete process.env._X_AMZN_TRACE_ID;

  const outcome = await runHandler(handler, invocation);
  activeRequestId = undefined;
  if (outcome.ok) {
    let payload;
    try {
      payload = JSON.stringify(outcome.value === undefined ? null : outcome.value);
    } catch (error) {
      await reportError(invocation.requestId, error);
      continue;
    }
    await client.postResponse(invocation.requestId, payload ?? 'null');
  } else {
    await reportError(invocation.requestId, outcome.error);
  }
}

/**
 * Runs the handler once. The result is the settled value of the promise the handler returns,
 * or the value it passes to the callback. When callbackWaitsForEmptyEventLoop is set, a callback
 * result is delivered only after the event loop has drained, as on Lambda.
 * @param {Function} fn
 * @param {import('./rapid-client.mjs').Invocation} invocation
 * @returns {Promise<{ok: true, value: unknown} | {ok: false, error: unknown}>}
 */
function runHandler(fn, invocation) {
  return new Promise((resolve) => {
    let settled = false;
    /** @param {{ok: true, value: unknown} | {ok: false, error: unknown}} outcome */
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    /** @param {unknown} error @param {unknown} [value] */
    const callback = (error, value) => {
      const outcome =
        error === undefined || error === null ? { ok: /** @type {const} */ (true), value } : { ok: /** @type {const} */ (false), error };
      if (!context.callbackWaitsForEmptyEventLoop) {
        settle(outcome);
        return;
      }
      // 'beforeExit' fires once nothing else is scheduled; posting the result schedules more work.
      process.once('beforeExit', () => settle(outcome));
    };
    const context = buildContext(invocation, callback);

    let event;
    try {
      event = invocation.body.length === 0 ? undefined : JSON.parse(invocation.body.toString('utf8'));
    } catch {
      event = invocation.body.toString('utf8');
    }

    let returned;
    try {
      returned = fn(event, context, callback);
    } catch (error) {
      settle({ ok: false, error });
      return;
    }
    if (returned && typeof (/** @type {any} */ (returned).then) === 'function') {
      /** @type {Promise<unknown>} */ (returned).then(
        (value) => settle({ ok: true, value }),
        (error) => settle({ ok: false, error: error ?? new Error('Promise rejected without a reason') }),
      );
    }
  });
}

/**
 * @param {import('./rapid-client.mjs').Invocation} invocation
 * @param {(error: unknown, value?: unknown) => void} callback
 */
function buildContext(invocation, callback) {
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: invocation.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: parseJsonHeader(invocation.cognitoIdentity),
    clientContext: parseJsonHeader(invocation.clientContext),
    getRemainingTimeInMillis: () => Math.max(invocation.deadlineMs - Date.now(), 0),
    /** @param {unknown} error @param {unknown} [value] */
    done: (error, value) => {
      context.callbackWaitsForEmptyEventLoop = false;
      callback(error, value);
    },
    /** @param {unknown} value */
    succeed: (value) => context.done(null, value),
    /** @param {unknown} error */
    fail: (error) => context.done(error ?? 'handled'),
  };
  return context;
}

/** @param {string | undefined} header */
function parseJsonHeader(header) {
  if (!header) return undefined;
  try {
    return JSON.parse(header);
  } catch {
    return undefined;
  }
}

/** @param {string} requestId @param {unknown} error */
async function reportError(requestId, error) {
  writeLogLine('ERROR', ['Invoke Error', `\t${formatForLog(error)}`]);
  await client.postError(requestId, toErrorBody(error));
}

/**
 * An exception that escapes the handler, or a promise rejection without a handler, fails the
 * invocation in progress and ends the process; the workbench then starts a fresh runtime.
 */
function installCrashHandlers() {
  process.on('uncaughtException', (error) => crash(error, 129));
  process.on('unhandledRejection', (reason) => {
    const error = unhandledPromiseRejection(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
    crash(error, 128);
  });
}

/** @param {unknown} error @param {number} exitCode */
function crash(error, exitCode) {
  writeLogLine('ERROR', ['Uncaught Exception', `\t${formatForLog(error)}`]);
  const requestId = activeRequestId;
  const posted = requestId ? client.postError(requestId, toErrorBody(error)) : client.postInitError(toErrorBody(error));
  posted.catch(() => undefined).finally(() => process.exit(exitCode));
}

/** @param {string} name */
function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`${name} is not set; the runtime client cannot start.\n`);
    process.exit(1);
  }
  return value;
}
