import path from 'node:path';
import { workspaceDataDir } from '../config/paths.js';
import { openWorkbenchDatabase } from '../store/database.js';
import { MetricsStore } from '../store/metrics-store.js';

/** Prints a function's per-minute metrics: invocations, errors, throttles, duration and concurrency. */
export function showMetrics(functionName: string, options: { template: string; minutes: number }): void {
  const database = openWorkbenchDatabase(path.join(workspaceDataDir(path.resolve(options.template)), 'workbench.sqlite'));
  const metrics = new MetricsStore(database);
  try {
    const rows = metrics.query(functionName, Date.now() - options.minutes * 60_000);
    process.stdout.write('minute (UTC)      invocations  errors  throttles  avg ms    max ms    concurrency\n');
    for (const row of rows) {
      const minute = new Date(row.minuteMs).toISOString().slice(0, 16).replace('T', ' ');
      process.stdout.write(
        `${minute}  ${String(row.invocations).padStart(11)}  ${String(row.errors).padStart(6)}  ${String(row.throttles).padStart(9)}  ${row.durationAverageMs.toFixed(2).padStart(8)}  ${row.durationMaxMs.toFixed(2).padStart(8)}  ${String(row.concurrentMax).padStart(11)}\n`,
      );
    }
    const totals = metrics.totals(functionName);
    process.stdout.write(`total: ${totals.invocations} invocations, ${totals.errors} errors, ${totals.throttles} throttles\n`);
  } finally {
    metrics.close();
    database.close();
  }
}
