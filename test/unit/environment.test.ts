import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { VolumeTmpStorage } from '../../main/docker/tmp-storage.js';
import type { EnvironmentBlueprint } from '../../main/engine/environment.js';
import { cpuShare } from '../../main/engine/environment.js';
import { FunctionPool } from '../../main/engine/function-pool.js';
import { silentLogger } from '../../main/logging.js';
import { LogStore } from '../../main/store/log-store.js';
import { FakeContainerEngine, hang, type RuntimeScript } from '../support/fake-engine.js';

const pools: FunctionPool[] = [];

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.dispose()));
});

function blueprint(overrides: Partial<EnvironmentBlueprint> = {}): EnvironmentBlueprint {
  return {
    functionName: 'fake',
    version: '$LATEST',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fake',
    logGroupName: '/aws/lambda/fake',
    image: 'fake-image',
    environment: {},
    mounts: [],
    memoryMb: 256,
    timeoutSeconds: 1,
    ephemeralStorageMb: 512,
    labels: {},
    namePrefix: 'fake',
    ...overrides,
  };
}

function poolWith(script: RuntimeScript, overrides: Partial<EnvironmentBlueprint> = {}) {
  const engine = new FakeContainerEngine(script);
  const logs = new LogStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-env-')), 'logs.sqlite'));
  const logger = silentLogger();
  const pool = new FunctionPool(
    blueprint(overrides),
    { engine, tmpStorage: new VolumeTmpStorage(), network: { mode: 'host', hostAddress: '127.0.0.1' }, logs, logger },
    logger,
  );
  pools.push(pool);
  const invoke = (event: unknown = {}) => pool.invoke({ requestId: randomUUID(), payload: Buffer.from(JSON.stringify(event)) });
  return { engine, pool, invoke, logs };
}

/** Echoes each event back, forever. */
const echo: RuntimeScript = async (runtime) => {
  for (;;) {
    const { requestId, event } = await runtime.next();
    runtime.print(`handling ${requestId}`);
    await runtime.respond(requestId, { echo: event });
  }
};

describe('execution environment', () => {
  it('reuses a warm environment', async () => {
    const { invoke, engine } = poolWith(echo);
    const first = await invoke({ n: 1 });
    const second = await invoke({ n: 2 });
    expect(JSON.parse(first.payload.toString())).toEqual({ echo: { n: 1 } });
    expect(first.initDurationMs).toBeGreaterThan(0);
    expect(second.initDurationMs).toBeUndefined();
    expect(engine.starts).toHaveLength(1);
    const lines = (await second.report).log.split('\n').slice(0, -1);
    expect(lines.slice(0, 3)).toEqual([
      `START RequestId: ${second.requestId} Version: $LATEST`,
      `handling ${second.requestId}`,
      `END RequestId: ${second.requestId}`,
    ]);
    expect(lines[3]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${second.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: 42 MB\\t$`,
      ),
    );
    expect(lines).toHaveLength(4);
  });

  it('limits CPU after init', async () => {
    const { invoke, engine } = poolWith(echo, { memoryMb: 128 });
    await invoke();
    const container = engine.containers[0]!;
    expect(container.spec.cpuQuotaMicros).toBe(-1);
    expect(container.cpuUpdates).toEqual([[cpuShare(128, os.cpus().length).periodMicros, cpuShare(128, os.cpus().length).quotaMicros]]);
  });

  it('timeout rejects a late response', async () => {
    const lateStatuses: number[] = [];
    const { invoke, engine } = poolWith(async (runtime, start) => {
      const { requestId } = await runtime.next();
      if (start === 1) {
        // Responds too late: after the 1 s timeout but before the kill lands.
        await new Promise((resolve) => setTimeout(resolve, 1_050));
        lateStatuses.push(await runtime.respond(requestId, 'late').catch(() => 0));
        return hang(runtime);
      }
      await runtime.respond(requestId, 'fresh');
      return hang(runtime);
    });
    const timedOut = await invoke();
    expect(timedOut.status).toBe('timeout');
    expect(JSON.parse(timedOut.payload.toString())).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${timedOut.requestId} Error: Task timed out after 1.00 seconds`,
    });
    const next = await invoke();
    expect(next.payload.toString()).toBe('"fresh"');
    expect(next.initDurationMs).toBeGreaterThan(0);
    expect(engine.starts).toHaveLength(2);
    await expect.poll(() => lateStatuses.length, { timeout: 2_000 }).toBe(1);
    expect(lateStatuses[0]).toBe(403);
  });

  it('rejects an unknown request id', async () => {
    let status = 0;
    const { invoke } = poolWith(async (runtime) => {
      const { requestId } = await runtime.next();
      status = await runtime.respond('not-a-request', 'x');
      await runtime.respond(requestId, 'ok');
      return hang(runtime);
    });
    expect((await invoke()).payload.toString()).toBe('"ok"');
    expect(status).toBe(400);
  });

  it('reports an init error', async () => {
    const { invoke } = poolWith(async (runtime) => {
      runtime.print('loading the handler');
      await runtime.initError('Runtime.ImportModuleError', "Cannot find module 'app'");
      return hang(runtime);
    });
    const result = await invoke();
    expect(result.status).toBe('error');
    expect(result.functionError).toBe('Unhandled');
    expect(result.errorType).toBe('Runtime.ImportModuleError');
    expect(JSON.parse(result.payload.toString())).toEqual({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: "Cannot find module 'app'",
    });
    const report = await result.report;
    // What the runtime printed during init comes first, then the platform's report of the failure.
    expect(report.log).toMatch(
      /^loading the handler\nINIT_REPORT Init Duration: [\d.]+ ms\tPhase: init\tStatus: error\tError Type: Runtime.ImportModuleError\n/,
    );
    expect(report.log).toMatch(/\tStatus: error\tError Type: Runtime.ImportModuleError\t\n$/);
  });

  it('reports exits and memory kills', async () => {
    const exits = poolWith(async (runtime) => {
      await runtime.next();
      return 2;
    });
    const exited = await exits.invoke();
    expect(JSON.parse(exited.payload.toString())).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${exited.requestId} Error: Runtime exited with error: exit status 2`,
    });

    const oom = poolWith(async (runtime) => {
      await runtime.next();
      return 'oom';
    });
    const killed = await oom.invoke();
    expect(killed.errorType).toBe('Runtime.OutOfMemory');
    expect((await killed.report).maxMemoryUsedMb).toBe(256);
  });

  it('restarts a runtime that exited', async () => {
    const { invoke, engine } = poolWith(async (runtime) => {
      const { requestId } = await runtime.next();
      await runtime.respond(requestId, 'once');
      return 0;
    });
    await invoke();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await invoke();
    expect(second.payload.toString()).toBe('"once"');
    expect(second.initDurationMs).toBeGreaterThan(0);
    expect(engine.starts).toHaveLength(2);
  });

  it('runs concurrent calls apart', async () => {
    const { invoke, pool } = poolWith(async (runtime) => {
      for (;;) {
        const { requestId } = await runtime.next();
        await new Promise((resolve) => setTimeout(resolve, 100));
        await runtime.respond(requestId, 'slow');
      }
    });
    const results = await Promise.all([invoke(), invoke(), invoke()]);
    expect(results.map((result) => result.status)).toEqual(['success', 'success', 'success']);
    expect(pool.size).toBe(3);
    await invoke();
    expect(pool.size).toBe(3);
  });
});

describe('CPU share', () => {
  it('scales with memory', () => {
    const full = cpuShare(1_769, 8);
    expect(full.quotaMicros / full.periodMicros).toBeCloseTo(1, 5);
    const small = cpuShare(128, 8);
    expect(small.quotaMicros / small.periodMicros).toBeCloseTo(128 / 1_769, 3);
    expect(small.quotaMicros).toBeGreaterThanOrEqual(1_000);
  });

  it('stops at the host CPUs', () => {
    const share = cpuShare(10_240, 2);
    expect(share.quotaMicros / share.periodMicros).toBe(2);
  });
});
