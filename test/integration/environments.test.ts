import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, reportFields, startWorkbench, TAIL, type TestWorkbench } from '../support/workbench.js';

const run = promisify(execFile);
let workbench: TestWorkbench;
let templatePath: string;

beforeAll(async () => {
  templatePath = copyFixture('scheduler');
  // Idle environments live 60 s of Lambda time, one second here.
  workbench = await startWorkbench(templatePath, { timeScale: 60, keepWarmSeconds: 60 });
});

afterAll(async () => {
  await workbench?.close();
});

const initDuration = (log: string | undefined): string | undefined => reportFields(log)['Init Duration'];

describe('execution environments over time', () => {
  it('reclaims an idle environment after the keep-warm period', async () => {
    const first = await workbench.invoke('Echo', {}, TAIL);
    const warm = await workbench.invoke('Echo', {}, TAIL);
    expect(initDuration(first.log)).toBeDefined();
    expect(initDuration(warm.log)).toBeUndefined();
    await sleep(1_800);
    const cold = await workbench.invoke('Echo', {}, TAIL);
    expect(initDuration(cold.log)).toBeDefined();
  });

  it('starts fresh environments after the template changes', async () => {
    await workbench.invoke('Versioned', {});
    const before = await workbench.invoke('Versioned', {}, TAIL);
    expect(initDuration(before.log)).toBeUndefined();
    workbench.workbench.workspace.edit([{ logicalId: 'Versioned', path: ['Environment', 'Variables', 'MARK'], value: 'edited' }]);
    const after = await workbench.invoke('Versioned', {}, TAIL);
    expect(after.json()).toMatchObject({ mark: 'edited' });
    expect(initDuration(after.log)).toBeDefined();
  });

  it('keeps environments within reserved concurrency across versions', async () => {
    workbench.workbench.workspace.edit([{ logicalId: 'Echo', path: ['ReservedConcurrentExecutions'], value: 1 }]);
    await workbench.engine.publishVersion('Echo');
    await workbench.invoke('Echo', {});
    await workbench.invoke('Echo:1', {});
    await sleep(200);
    const containers = await run('docker', [
      'ps',
      '--filter',
      'label=dev.lambda-workbench.function=Echo',
      '--filter',
      `label=dev.lambda-workbench.workspace=${workbench.workbench.key}`,
      '--format',
      '{{.ID}}',
    ]);
    expect(containers.stdout.trim().split('\n').filter(Boolean)).toHaveLength(1);
    workbench.workbench.workspace.edit([{ logicalId: 'Echo', path: ['ReservedConcurrentExecutions'], value: undefined }]);
  });

  it('publishes again when an AutoPublishAlias function changes', async () => {
    expect(workbench.engine.controlPlane.alias('Warm', 'live')?.functionVersion).toBe('1');
    workbench.workbench.workspace.edit([{ logicalId: 'Warm', path: ['Environment'], value: { Variables: { STAGE: 'two' } } }]);
    const deadline = Date.now() + 10_000;
    while (workbench.engine.controlPlane.alias('Warm', 'live')?.functionVersion !== '2' && Date.now() < deadline) await sleep(50);
    expect(workbench.engine.controlPlane.alias('Warm', 'live')?.functionVersion).toBe('2');
    const response = await workbench.invoke('Warm:live', { ms: 0 });
    expect(response.headers.get('x-amz-executed-version')).toBe('2');
  });

  it('spills calls beyond provisioned concurrency to on-demand environments', async () => {
    const deadline = Date.now() + 20_000;
    while ((await workbench.engine.provisionedStatus('Warm', 'live')).status !== 'READY' && Date.now() < deadline) await sleep(100);
    // On-demand environments of earlier calls are reclaimed after the keep-warm period; provisioned ones stay.
    await sleep(1_800);
    const calls = await Promise.all([1, 2, 3].map((n) => workbench.invoke('Warm:live', { n, ms: 300 }, TAIL)));
    const cold = calls.filter((call) => initDuration(call.log) !== undefined);
    expect(calls.map((call) => call.status)).toEqual([200, 200, 200]);
    expect(cold).toHaveLength(1);
  });
});
