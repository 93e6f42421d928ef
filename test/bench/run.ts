/**
 * `npm run bench`: warm and cold invocation latency through the Invoke API, each printed next to
 * the baseline it is judged against, all measured in this run:
 *   - warm sequential invokes (p50, p99) next to a bare loopback HTTP round trip;
 *   - a cold call next to `docker run --rm` of the same interpreter doing nothing.
 *   - warm throughput at concurrency 10 (calls per second, p50 and p99).
 * Targets: warm p50 under 5 ms; cold under 1.3 times the bare docker run; 500 calls/s or more.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { startWorkbench, type TestWorkbench } from '../support/workbench.js';

const run = promisify(execFile);
const TEMPLATE = path.resolve('test/bench/template.yaml');
const WARM_CALLS = Number(process.env.BENCH_WARM_CALLS ?? 500);
const COLD_CALLS = Number(process.env.BENCH_COLD_CALLS ?? 5);
const THROUGHPUT_CALLS = Number(process.env.BENCH_THROUGHPUT_CALLS ?? 5_000);

interface Row {
  measure: string;
  p50: number;
  p99?: number;
  baseline?: string;
  verdict?: string;
}

function percentile(samples: number[], fraction: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

const median = (samples: number[]): number => percentile(samples, 0.5);

async function loopbackRoundTrip(): Promise<number[]> {
  const server = http.createServer((_request, response) => response.end('{"ok":true}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const samples: number[] = [];
  for (let i = 0; i < WARM_CALLS + 50; i += 1) {
    const started = performance.now();
    await (await fetch(url, { method: 'POST', body: '{"n":1}' })).text();
    if (i >= 50) samples.push(performance.now() - started);
  }
  server.close();
  return samples;
}

async function warmInvokes(workbench: TestWorkbench, name: string): Promise<number[]> {
  for (let i = 0; i < 50; i += 1) await workbench.invoke(name, { n: i });
  const samples: number[] = [];
  for (let i = 0; i < WARM_CALLS; i += 1) {
    const response = await workbench.invoke(name, { n: i });
    if (response.status !== 200 || response.headers.get('x-amz-function-error')) throw new Error(`${name} failed: ${response.text}`);
    samples.push(response.elapsedMs);
  }
  return samples;
}

/** A cold call: a fresh workbench (as after `serve` starts) and its first invocation of the function. */
async function coldInvokes(name: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_CALLS; i += 1) {
    const workbench = await startWorkbench(TEMPLATE);
    try {
      const response = await workbench.invoke(name, { n: i });
      if (response.status !== 200) throw new Error(`${name} failed: ${response.text}`);
      samples.push(response.elapsedMs);
    } finally {
      await workbench.close();
    }
  }
  return samples;
}

/** Throughput with `workers` callers each invoking in turn, after every environment is warm. */
async function throughput(
  workbench: TestWorkbench,
  name: string,
  workers: number,
  calls: number,
): Promise<{ perSecond: number; samples: number[] }> {
  await Promise.all(Array.from({ length: workers }, () => workbench.invoke(name, { n: 0 })));
  for (let i = 0; i < 20; i += 1) await Promise.all(Array.from({ length: workers }, () => workbench.invoke(name, { n: i })));
  const samples: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < calls) {
        next += 1;
        const response = await workbench.invoke(name, { n: next });
        if (response.status !== 200) throw new Error(`${name} failed: ${response.status} ${response.text}`);
        samples.push(response.elapsedMs);
      }
    }),
  );
  return { perSecond: calls / ((performance.now() - started) / 1000), samples };
}

async function bareDockerRun(image: string, command: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_CALLS; i += 1) {
    const started = performance.now();
    await run('docker', ['run', '--rm', '--network', 'host', '--entrypoint', command[0]!, image, ...command.slice(1)]);
    samples.push(performance.now() - started);
  }
  return samples;
}

function format(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const loopback = await loopbackRoundTrip();
  rows.push({ measure: 'bare loopback HTTP round trip', p50: median(loopback), p99: percentile(loopback, 0.99) });

  const targets = [
    { name: 'BenchNode', language: 'Node.js', image: 'lambda-workbench/nodejs:latest', bare: ['node', '-e', '0'] },
    { name: 'BenchPython', language: 'Python', image: 'lambda-workbench/python:latest', bare: ['python3', '-c', '0'] },
  ];
  let failed = false;
  for (const target of targets) {
    const workbench = await startWorkbench(TEMPLATE);
    let warm: number[];
    try {
      warm = await warmInvokes(workbench, target.name);
    } finally {
      await workbench.close();
    }
    const warmP50 = median(warm);
    const warmOk = warmP50 < 5;
    failed ||= !warmOk;
    rows.push({
      measure: `${target.language} warm invoke (1,769 MB)`,
      p50: warmP50,
      p99: percentile(warm, 0.99),
      baseline: `loopback p50 ${format(median(loopback))}`,
      verdict: `${warmOk ? 'meets' : 'MISSES'} target p50 < 5 ms`,
    });

    const cold = median(await coldInvokes(target.name));
    const bare = median(await bareDockerRun(target.image, target.bare));
    const ratio = cold / bare;
    const coldOk = ratio < 1.3;
    failed ||= !coldOk;
    rows.push({
      measure: `${target.language} cold call (median of ${COLD_CALLS})`,
      p50: cold,
      baseline: `docker run --rm ${target.bare.join(' ')}: ${format(bare)}`,
      verdict: `${ratio.toFixed(2)}x, ${coldOk ? 'meets' : 'MISSES'} target < 1.3x`,
    });
  }

  const throughputBench = await startWorkbench(TEMPLATE);
  try {
    const concurrency = 10;
    const { perSecond, samples } = await throughput(throughputBench, 'BenchNode', concurrency, THROUGHPUT_CALLS);
    const ok = perSecond >= 500;
    failed ||= !ok;
    rows.push({
      measure: `Node.js warm throughput, concurrency ${concurrency} (${THROUGHPUT_CALLS} calls)`,
      p50: median(samples),
      p99: percentile(samples, 0.99),
      baseline: `${perSecond.toFixed(0)} calls/s`,
      verdict: `${ok ? 'meets' : 'MISSES'} target >= 500 calls/s`,
    });
  } finally {
    await throughputBench.close();
  }

  process.stdout.write(`\nLambda Workbench benchmark (${WARM_CALLS} warm calls, ${COLD_CALLS} cold calls per runtime)\n\n`);
  process.stdout.write('| measure | p50 | p99 | baseline | verdict |\n|---|---|---|---|---|\n');
  for (const row of rows) {
    process.stdout.write(
      `| ${row.measure} | ${format(row.p50)} | ${row.p99 === undefined ? '' : format(row.p99)} | ${row.baseline ?? ''} | ${row.verdict ?? ''} |\n`,
    );
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
