import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportFields, startWorkbench, TAIL, type TestWorkbench } from '../support/workbench.js';

const TEMPLATE = path.resolve('test/fixtures/behaviours/template.yaml');
let workbench: TestWorkbench;

beforeAll(async () => {
  workbench = await startWorkbench(TEMPLATE);
});

afterAll(async () => {
  await workbench?.close();
});

interface ErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

describe('Node.js runtime in a container', () => {
  it('passes Lambda context and environment', async () => {
    const response = await workbench.invoke('NodeOk', { name: 'Ada' }, TAIL);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.headers.get('x-amz-executed-version')).toBe('$LATEST');
    const requestId = response.headers.get('x-amzn-requestid');
    const body = response.json() as {
      event: unknown;
      context: Record<string, unknown>;
      env: Record<string, string>;
      uid: number;
      traceId: string | null;
    };
    expect(body.event).toEqual({ name: 'Ada' });
    expect(body.context).toMatchObject({
      functionName: 'NodeOk',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:NodeOk',
      memoryLimitInMB: '512',
      awsRequestId: requestId,
      logGroupName: '/aws/lambda/NodeOk',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(body.context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.context.remainingTimeInMillis).toBeGreaterThan(9_000);
    expect(body.context.remainingTimeInMillis).toBeLessThanOrEqual(10_000);
    expect(body.env).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'NodeOk',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/NodeOk',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      _HANDLER: 'ok.handler',
      LAMBDA_TASK_ROOT: '/var/task',
      LAMBDA_RUNTIME_DIR: '/var/runtime',
      TZ: ':UTC',
      AWS_ACCESS_KEY_ID: 'ASIATEST',
      AWS_SECRET_ACCESS_KEY: 'test-secret',
      AWS_SESSION_TOKEN: 'test-token',
      OWN: 'own',
      FROM_GLOBALS: 'globals',
    });
    expect(body.env.AWS_LAMBDA_LOG_STREAM_NAME).toBe(body.context.logStreamName);
    expect(body.env.AWS_LAMBDA_RUNTIME_API).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(body.env.NODE_PATH).toBe(
      '/opt/nodejs/node20/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task',
    );
    expect(body.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0/);
    expect(body.uid).toBe(993);

    const lines = response.log!.trimEnd().split('\n');
    expect(lines[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z\\t${requestId}\\tINFO\\tevent received {"name":"Ada"}$`));
    expect(lines.at(-2)).toBe(`END RequestId: ${requestId}`);
    expect(lines.at(-1)).toMatch(
      new RegExp(
        `^REPORT RequestId: ${requestId}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 512 MB\\tMax Memory Used: \\d+ MB\\t`,
      ),
    );
  });

  it('passes the client context', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'blue' } })).toString('base64');
    const response = await workbench.invoke('NodeOk', {}, { ...TAIL, 'X-Amz-Client-Context': clientContext });
    const body = response.json() as { context: { clientContext: unknown } };
    expect(body.context.clientContext).toEqual({ custom: { tenant: 'blue' } });
    const report = reportFields(response.log);
    // Billed duration is the unrounded duration rounded up. The REPORT line rounds to 0.01 ms, so
    // a 5.003 ms call shows 5.00 ms and bills 6 ms.
    const duration = Number(report.Duration!.replace(' ms', ''));
    const billed = Number(report['Billed Duration']!.replace(' ms', ''));
    expect(billed).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(duration - 0.005)));
    expect(billed).toBeLessThanOrEqual(Math.max(1, Math.ceil(duration + 0.005)));
  });

  it('reuses a warm environment', async () => {
    const first = await workbench.invoke('NodeState', { marker: 'first' }, TAIL);
    const second = await workbench.invoke('NodeState', { marker: 'second' }, TAIL);
    const firstBody = first.json() as { invocations: number; before: string | null; pid: number };
    const secondBody = second.json() as { invocations: number; before: string | null; pid: number };
    expect(reportFields(first.log)['Init Duration']).toMatch(/^\d+\.\d{2} ms$/);
    expect(reportFields(second.log)['Init Duration']).toBeUndefined();
    expect(secondBody.invocations).toBe(firstBody.invocations + 1);
    expect(secondBody.before).toBe('first');
    expect(secondBody.pid).toBe(firstBody.pid);
    expect(Number(reportFields(second.log)['Max Memory Used']!.replace(' MB', ''))).toBeGreaterThan(5);
  });

  it('timeout resets the runtime, keeps /tmp', async () => {
    const warmup = await workbench.invoke('NodeTimeout', { marker: 'before-timeout' });
    expect(warmup.status).toBe(200);

    const timedOut = await workbench.invoke('NodeTimeout', { marker: 'during-timeout', sleepMs: 5_000 }, TAIL);
    const requestId = timedOut.headers.get('x-amzn-requestid');
    expect(timedOut.status).toBe(200);
    expect(timedOut.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(timedOut.json()).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(timedOut.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(timedOut.elapsedMs).toBeLessThan(1_300 + 50 /* the tail wait after the result */);
    expect(timedOut.log).toMatch(new RegExp(`\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z ${requestId} Task timed out after 1.00 seconds`));
    expect(reportFields(timedOut.log).Status).toBe('timeout');

    const after = await workbench.invoke('NodeTimeout', { marker: 'after-timeout' }, TAIL);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-amz-function-error')).toBeNull();
    const body = after.json() as { invocations: number; before: string };
    expect(body.invocations).toBe(1);
    expect(body.before).toBe('during-timeout');
    expect(reportFields(after.log)['Init Duration']).toMatch(/^\d+\.\d{2} ms$/);
  });

  it('reports a thrown error', async () => {
    const response = await workbench.invoke('NodeThrows', {}, TAIL);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = response.json() as ErrorBody;
    expect(body.errorType).toBe('Error');
    expect(body.errorMessage).toBe('boom');
    expect(body.trace?.[0]).toBe('Error: boom');
    expect(body.trace?.join('\n')).toContain('/var/task/errors.js');
    expect(response.log).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"boom"/);
    expect(reportFields(response.log).Status).toBe('error');
    expect(reportFields(response.log)['Error Type']).toBe('Error');
  });

  it('reports a rejected promise', async () => {
    const body = (await workbench.invoke('NodeRejects')).json() as ErrorBody;
    expect(body.errorType).toBe('TypeError');
    expect(body.errorMessage).toBe('rejected on purpose');
  });

  it('reports an uncaught exception', async () => {
    const response = await workbench.invoke('NodeUncaught');
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = response.json() as ErrorBody;
    expect(body.errorType).toBe('RangeError');
    expect(body.errorMessage).toBe('thrown from a timer');
  });

  it.each([
    ['NodeSyntax', 'Runtime.UserCodeSyntaxError', /^SyntaxError: /],
    ['NodeMissingHandler', 'Runtime.HandlerNotFound', /^ok\.notExported is undefined or not exported$/],
    ['NodeMissingModule', 'Runtime.ImportModuleError', /^Error: Cannot find module 'nowhere'/],
    ['NodeImportThrows', 'Error', /^cannot start without configuration$/],
  ])('reports init failure of %s as %s', async (name, errorType, message) => {
    const response = await workbench.invoke(name, {}, TAIL);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = response.json() as ErrorBody;
    expect(body.errorType).toBe(errorType);
    expect(body.errorMessage).toMatch(message);
    // The runtime's own report of the failure, printed during init, comes first, as on Lambda.
    expect(response.log).toMatch(
      new RegExp(
        `^INIT_REPORT Init Duration: \\d+\\.\\d{2} ms\\tPhase: init\\tStatus: error\\tError Type: ${errorType.replace('.', '\\.')}`,
        'm',
      ),
    );
    expect(reportFields(response.log)['Error Type']).toBe(errorType);
  });

  it.each([
    ['NodeEsmPackage', { format: 'esm' }],
    ['NodeMjs', { format: 'mjs', url: 'file:///var/task/modern.mjs' }],
    ['NodeCjs', { format: 'cjs', file: '/var/task/legacy.cjs' }],
    ['NodeNested', { nested: true, file: '/var/task/src/handlers/app.js' }],
  ])('loads the handler of %s', async (name, expected) => {
    const response = await workbench.invoke(name, { x: 1 });
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.json()).toMatchObject(expected);
  });

  it('returns null for no result', async () => {
    const response = await workbench.invoke('NodeNothing');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.text).toBe('null');
  });

  it('reports process.exit as Runtime.ExitError', async () => {
    const response = await workbench.invoke('NodeExit', {}, TAIL);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(response.json()).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 1`,
    });
    expect(reportFields(response.log)['Error Type']).toBe('Runtime.ExitError');
  });

  it('reports running out of memory', async () => {
    const response = await workbench.invoke('NodeOutOfMemory', {}, TAIL);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(response.json()).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
    });
    const report = reportFields(response.log);
    expect(report['Memory Size']).toBe('128 MB');
    expect(report['Max Memory Used']).toBe('128 MB');
    expect(report['Error Type']).toBe('Runtime.OutOfMemory');
  });

  it('rejects a 7 MB response', async () => {
    const response = await workbench.invoke('NodeBigResponse');
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(response.json()).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size (${7 * 1024 * 1024 + 2} bytes) exceeded maximum allowed payload size (6291556 bytes).`,
    });
  });

  it('callback waits for the event loop', async () => {
    const response = await workbench.invoke('NodeCallbackWaits', {}, TAIL);
    expect(response.json()).toEqual({ waited: true });
    expect(response.elapsedMs).toBeGreaterThanOrEqual(300);
    const lines = response.log!.split('\n');
    const timerLine = lines.findIndex((line) => line.endsWith('timer fired before the response'));
    const endLine = lines.findIndex((line) => line.startsWith('END RequestId:'));
    expect(timerLine).toBeGreaterThan(0);
    expect(timerLine).toBeLessThan(endLine);
  });

  it('callback without waiting', async () => {
    const response = await workbench.invoke('NodeCallbackNoWait');
    expect(response.json()).toEqual({ waited: false });
    expect(response.elapsedMs).toBeLessThan(4_000);
  });

  it('writes all output before END', async () => {
    for (const attempt of [1, 2]) {
      const response = await workbench.invoke('NodeChatty', { lines: 2_000 }, TAIL);
      expect(response.text, `attempt ${attempt}`).toBe('"done"');
      const requestId = response.headers.get('x-amzn-requestid')!;
      const stored = workbench.logs.query({ groupName: '/aws/lambda/NodeChatty', requestId }).map((event) => event.message);
      expect(stored.filter((line) => line.includes('\tINFO\tline '))).toHaveLength(2_000);
      expect(stored.at(-3)).toBe('a last line without a newline');
      expect(stored.at(-2)).toBe(`END RequestId: ${requestId}`);
      expect(response.log).toContain('a last line without a newline\nEND RequestId:');
    }
  });

  it('keeps serving after failures', async () => {
    const response = await workbench.invoke('NodeOk', { still: 'alive' });
    expect(response.status).toBe(200);
    expect((response.json() as { event: unknown }).event).toEqual({ still: 'alive' });
  });
});
