import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkbench, type TestWorkbench } from '../support/workbench.js';

let workbench: TestWorkbench;

beforeAll(async () => {
  workbench = await startWorkbench(path.resolve('test/fixtures/limits/template.yaml'));
});

afterAll(async () => {
  await workbench?.close();
});

describe('limits inside the execution environment', () => {
  it('fails a write past EphemeralStorage with ENOSPC', async () => {
    const response = await workbench.invoke('FillTmp', { megabytes: 600 });
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    const body = response.json() as { writtenMb: number; error: string | null; script: string; sizeMb: number };
    expect(body.error).toBe('ENOSPC');
    expect(body.writtenMb).toBeGreaterThanOrEqual(500);
    expect(body.writtenMb).toBeLessThan(600);
    expect(body.sizeMb).toBeGreaterThanOrEqual(512);
    expect(body.script).toBe('ran from /tmp');
  });

  it('keeps /tmp out of the memory limit', async () => {
    // 300 MB of files in /tmp under a 128 MB memory limit: a tmpfs would be killed for memory.
    const response = await workbench.invoke('TmpUnderMemory', { megabytes: 300 });
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    expect(response.json()).toMatchObject({ writtenMb: 300, error: null });
  });

  it('contains a fork bomb within the process limit', async () => {
    const response = await workbench.invoke('ForkBomb', {});
    expect(response.headers.get('x-amz-function-error')).toBeNull();
    const body = response.json() as { started: number; refusal: string | null };
    expect(body.refusal).toBe('EAGAIN');
    expect(body.started).toBeGreaterThan(100);
    expect(body.started).toBeLessThan(1_024);
    const after = await workbench.invoke('Sandbox', {});
    expect(after.status).toBe(200);
  });

  it('runs as a non-root user without capabilities on read-only code', async () => {
    const body = (await workbench.invoke('Sandbox', {})).json();
    expect(body).toEqual({ uid: 993, gid: 990, effectiveCapabilities: '0000000000000000', task: 'EROFS', root: 'EROFS', tmp: 'written' });
  });

  it('reaps processes a function leaves behind', async () => {
    const first = (await workbench.invoke('Orphans', {})).json();
    expect(first).toEqual({ zombies: 0, openFiles: 1_024 });
    // The same warm environment again: nothing has piled up.
    expect((await workbench.invoke('Orphans', {})).json()).toEqual({ zombies: 0, openFiles: 1_024 });
  });
});
