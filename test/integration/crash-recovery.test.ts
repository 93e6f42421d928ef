import { mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../support/serve-process.js';
import { copyFixture } from '../support/workbench.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'lwb-crash-'));
const templatePath = copyFixture('scheduler');
const effects = new Map<number, string[]>();
let serve: ServeProcess | undefined;

const effectServer = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const n = Number(url.searchParams.get('n'));
  effects.set(n, [...(effects.get(n) ?? []), url.searchParams.get('id') ?? '']);
  response.end('ok');
});

afterAll(async () => {
  await serve?.stop();
  effectServer.close();
});

/** Reads the states of the asynchronous events from the workspace's database, which a killed workbench leaves readable. */
function eventStates(): Map<string, string> {
  const workspaces = path.join(home, 'workspaces');
  const [folder] = readdirSync(workspaces);
  const db = new Database(path.join(workspaces, folder!, 'workbench.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT request_id, state FROM async_events').all() as Array<{ request_id: string; state: string }>;
    return new Map(rows.map((row) => [row.request_id, row.state]));
  } finally {
    db.close();
  }
}

async function startServeOnTemplate(): Promise<ServeProcess> {
  return startServe(templatePath, home, ['--time-scale', '60']);
}

describe('asynchronous invocations across a crash', () => {
  it('completes every accepted event after kill -9', async () => {
    await new Promise<void>((resolve) => effectServer.listen(0, '127.0.0.1', resolve));
    const port = (effectServer.address() as AddressInfo).port;
    serve = await startServeOnTemplate();

    const requestIds = new Map<string, number>();
    for (let n = 0; n < 100; n += 1) {
      const response = await fetch(`${serve.endpoint}/2015-03-31/functions/SideEffect/invocations`, {
        method: 'POST',
        headers: { 'X-Amz-Invocation-Type': 'Event' },
        body: JSON.stringify({ n, port, workMs: 300 }),
      });
      expect(response.status).toBe(202);
      requestIds.set(response.headers.get('x-amzn-requestid')!, n);
    }

    // Let part of the work happen, then kill the workbench without warning.
    while (effects.size < 30) await sleep(20);
    serve.kill('SIGKILL');
    await serve.exited;
    serve = undefined;
    const atKill = eventStates();
    const doneBefore = [...atKill].filter(([, state]) => state === 'done').map(([id]) => requestIds.get(id)!);
    const runningAtKill = new Set([...atKill].filter(([, state]) => state === 'running').map(([id]) => requestIds.get(id)!));
    expect(atKill.size).toBe(100);
    expect(doneBefore.length).toBeGreaterThan(0);
    expect(doneBefore.length).toBeLessThan(100);

    serve = await startServeOnTemplate();
    const deadline = Date.now() + 60_000;
    while ([...eventStates().values()].some((state) => state !== 'done') && Date.now() < deadline) await sleep(200);
    expect([...eventStates().values()].filter((state) => state !== 'done')).toEqual([]);

    for (let n = 0; n < 100; n += 1) expect(effects.get(n)?.length ?? 0, `event ${n}`).toBeGreaterThanOrEqual(1);
    for (const n of doneBefore) expect(effects.get(n), `event ${n}, done before the kill`).toHaveLength(1);
    const twice = [...effects].filter(([, ids]) => ids.length > 1).map(([n]) => n);
    for (const n of twice) expect(runningAtKill.has(n), `event ${n} ran twice`).toBe(true);
    // Every attempt of an event keeps its request id.
    for (const [n, ids] of effects) expect(new Set(ids).size, `request ids of event ${n}`).toBe(1);
  });
});
