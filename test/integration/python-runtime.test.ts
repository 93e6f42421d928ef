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

interface PythonError {
  errorType: string;
  errorMessage: string;
  requestId: string;
  stackTrace: string[];
}

describe('Python runtime in a container', () => {
  it('passes Lambda context and sys.path', async () => {
    const response = await workbench.invoke('PyOk', { name: 'Grace' }, TAIL);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    const body = response.json() as { event: unknown; context: Record<string, unknown>; sys_path: string[]; uid: number };
    expect(body.event).toEqual({ name: 'Grace' });
    expect(body.context).toMatchObject({
      function_name: 'PyOk',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:123456789012:function:PyOk',
      memory_limit_in_mb: '512',
      aws_request_id: requestId,
      log_group_name: '/aws/lambda/PyOk',
    });
    expect(body.context.log_stream_name).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(body.context.remaining_time_in_millis).toBeGreaterThan(9_000);
    expect(body.sys_path[0]).toBe('/var/task');
    expect(body.sys_path).toContain('/opt/python');
    expect(new Set(body.sys_path).size).toBe(body.sys_path.length);
    expect(body.uid).toBe(993);
    expect(response.log).toContain("event received {'name': 'Grace'}");
  });

  it('reuses a warm environment', async () => {
    const first = await workbench.invoke('PyState', { marker: 'first' }, TAIL);
    const second = await workbench.invoke('PyState', { marker: 'second' }, TAIL);
    expect(reportFields(first.log)['Init Duration']).toBeDefined();
    expect(reportFields(second.log)['Init Duration']).toBeUndefined();
    const firstBody = first.json() as { invocations: number; pid: number };
    const secondBody = second.json() as { invocations: number; before: string; pid: number };
    expect(secondBody).toEqual({ invocations: firstBody.invocations + 1, before: 'first', pid: firstBody.pid });
  });

  it('timeout resets the runtime, keeps /tmp', async () => {
    await workbench.invoke('PyTimeout', { marker: 'before-timeout' });
    const timedOut = await workbench.invoke('PyTimeout', { marker: 'during-timeout', sleepMs: 5_000 });
    const requestId = timedOut.headers.get('x-amzn-requestid');
    expect(timedOut.headers.get('x-amz-function-error')).toBe('Unhandled');
    expect(timedOut.json()).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(timedOut.elapsedMs).toBeGreaterThanOrEqual(1_000);
    expect(timedOut.elapsedMs).toBeLessThan(1_300);

    const after = await workbench.invoke('PyTimeout', { marker: 'after' }, TAIL);
    expect(after.json()).toMatchObject({ invocations: 1, before: 'during-timeout' });
    expect(reportFields(after.log)['Init Duration']).toBeDefined();
  });

  it('reports a raised exception', async () => {
    const response = await workbench.invoke('PyRaises', {}, TAIL);
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = response.json() as PythonError;
    expect(body.errorType).toBe('PaymentDeclined');
    expect(body.errorMessage).toBe('card declined');
    expect(body.requestId).toBe(requestId);
    expect(body.stackTrace.join('')).toContain('File "/var/task/errors.py"');
    expect(response.log).toContain('[ERROR] PaymentDeclined: card declined');
  });

  it.each([
    ['PyMissingModule', 'Runtime.ImportModuleError', "Unable to import module 'nowhere': No module named 'nowhere'"],
    ['PyMissingHandler', 'Runtime.HandlerNotFound', "Handler 'not_defined' missing on module 'ok'"],
    ['PySyntax', 'Runtime.UserCodeSyntaxError', "Syntax error in module 'app': expected ':' (app.py, line 1)"],
    ['PyImportRaises', 'RuntimeError', 'cannot start without configuration'],
  ])('reports init failure of %s as %s', async (name, errorType, message) => {
    const response = await workbench.invoke(name, {}, TAIL);
    expect(response.headers.get('x-amz-function-error')).toBe('Unhandled');
    const body = response.json() as PythonError;
    expect(body.errorType).toBe(errorType);
    expect(body.errorMessage).toBe(message);
    expect(response.log).toMatch(/^INIT_REPORT Init Duration: /m);
  });

  it('loads a handler in a package', async () => {
    expect((await workbench.invoke('PyNested')).json()).toEqual({ nested: true, module: 'pkg.sub.app' });
  });

  it('returns null for None', async () => {
    const response = await workbench.invoke('PyNothing');
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.text).toBe('null');
  });

  it('writes all printed lines before END', async () => {
    const response = await workbench.invoke('PyChatty', { lines: 2_000 }, TAIL);
    const requestId = response.headers.get('x-amzn-requestid')!;
    const stored = workbench.logs.query({ groupName: '/aws/lambda/PyChatty', requestId }).map((event) => event.message);
    expect(stored.filter((line) => line.startsWith('line '))).toHaveLength(2_000);
    expect(stored.at(-2)).toBe(`END RequestId: ${requestId}`);
  });

  it('reports sys.exit as Runtime.ExitError', async () => {
    const response = await workbench.invoke('PyExit');
    const requestId = response.headers.get('x-amzn-requestid');
    expect(response.json()).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status 3`,
    });
  });
});
