import type { WorkbenchDatabase } from './database.js';

export interface MinuteMetrics {
  functionName: string;
  /** Start of the minute, in milliseconds since the epoch. */
  minuteMs: number;
  invocations: number;
  errors: number;
  throttles: number;
  durationAverageMs: number;
  durationMaxMs: number;
  concurrentMax: number;
}

interface Bucket {
  invocations: number;
  errors: number;
  throttles: number;
  durationSum: number;
  durationMax: number;
  concurrentMax: number;
}

const MINUTE_MS = 60_000;

/**
 * Per-function, per-minute counts of the metrics the Lambda console charts: invocations, errors,
 * throttles, duration and concurrent executions. Counts gather in memory and are written once a
 * second, so recording them costs an invocation nothing measurable.
 */
export class MetricsStore {
  private readonly pending = new Map<string, Bucket>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly db: WorkbenchDatabase) {
    this.timer = setInterval(() => this.flush(), 1_000);
    this.timer.unref();
  }

  recordInvocation(functionName: string, atMs: number, durationMs: number, failed: boolean): void {
    const bucket = this.bucket(functionName, atMs);
    bucket.invocations += 1;
    if (failed) bucket.errors += 1;
    bucket.durationSum += durationMs;
    bucket.durationMax = Math.max(bucket.durationMax, durationMs);
  }

  recordThrottle(functionName: string, atMs: number): void {
    this.bucket(functionName, atMs).throttles += 1;
  }

  recordConcurrency(functionName: string, atMs: number, running: number): void {
    const bucket = this.bucket(functionName, atMs);
    bucket.concurrentMax = Math.max(bucket.concurrentMax, running);
  }

  /** Writes the counts gathered so far; queries call it so they see everything recorded. */
  flush(): void {
    if (this.pending.size === 0) return;
    const entries = [...this.pending];
    this.pending.clear();
    const upsert = this.db.prepare(
      `INSERT INTO metrics (function_name, minute, invocations, errors, throttles, duration_sum, duration_max, concurrent_max)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (function_name, minute) DO UPDATE SET
         invocations = invocations + excluded.invocations,
         errors = errors + excluded.errors,
         throttles = throttles + excluded.throttles,
         duration_sum = duration_sum + excluded.duration_sum,
         duration_max = MAX(duration_max, excluded.duration_max),
         concurrent_max = MAX(concurrent_max, excluded.concurrent_max)`,
    );
    this.db.transaction(() => {
      for (const [key, bucket] of entries) {
        const [functionName, minute] = key.split('\n') as [string, string];
        upsert.run(
          functionName,
          Number(minute),
          bucket.invocations,
          bucket.errors,
          bucket.throttles,
          bucket.durationSum,
          bucket.durationMax,
          bucket.concurrentMax,
        );
      }
    })();
  }

  query(functionName: string, fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): MinuteMetrics[] {
    this.flush();
    const rows = this.db
      .prepare('SELECT * FROM metrics WHERE function_name = ? AND minute >= ? AND minute <= ? ORDER BY minute')
      .all(functionName, Math.floor(fromMs / MINUTE_MS), Math.floor(toMs / MINUTE_MS)) as Array<{
      minute: number;
      invocations: number;
      errors: number;
      throttles: number;
      duration_sum: number;
      duration_max: number;
      concurrent_max: number;
    }>;
    return rows.map((row) => ({
      functionName,
      minuteMs: row.minute * MINUTE_MS,
      invocations: row.invocations,
      errors: row.errors,
      throttles: row.throttles,
      durationAverageMs: row.invocations === 0 ? 0 : row.duration_sum / row.invocations,
      durationMaxMs: row.duration_max,
      concurrentMax: row.concurrent_max,
    }));
  }

  /** Sums over all minutes of a function. */
  totals(functionName: string): { invocations: number; errors: number; throttles: number } {
    return this.query(functionName).reduce(
      (sum, minute) => ({
        invocations: sum.invocations + minute.invocations,
        errors: sum.errors + minute.errors,
        throttles: sum.throttles + minute.throttles,
      }),
      { invocations: 0, errors: 0, throttles: 0 },
    );
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private bucket(functionName: string, atMs: number): Bucket {
    const key = `${functionName}\n${Math.floor(atMs / MINUTE_MS)}`;
    let bucket = this.pending.get(key);
    if (!bucket) {
      bucket = { invocations: 0, errors: 0, throttles: 0, durationSum: 0, durationMax: 0, concurrentMax: 0 };
      this.pending.set(key, bucket);
    }
    return bucket;
  }
}
