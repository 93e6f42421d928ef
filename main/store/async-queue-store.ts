import type { WorkbenchDatabase } from './database.js';

export interface AsyncEvent {
  requestId: string;
  functionName: string;
  qualifier: string | undefined;
  payload: Buffer;
  acceptedMs: number;
  attempts: number;
  setbacks: number;
  nextAttemptMs: number;
  state: 'queued' | 'running' | 'done';
  outcome: string | undefined;
}

interface Row {
  request_id: string;
  function_name: string;
  qualifier: string | null;
  payload: Buffer;
  accepted_ms: number;
  attempts: number;
  setbacks: number;
  next_attempt_ms: number;
  state: AsyncEvent['state'];
  outcome: string | null;
}

function fromRow(row: Row): AsyncEvent {
  return {
    requestId: row.request_id,
    functionName: row.function_name,
    qualifier: row.qualifier ?? undefined,
    payload: row.payload,
    acceptedMs: row.accepted_ms,
    attempts: row.attempts,
    setbacks: row.setbacks,
    nextAttemptMs: row.next_attempt_ms,
    state: row.state,
    outcome: row.outcome ?? undefined,
  };
}

/**
 * The durable queue of asynchronous (Event) invocations. An event is committed before the caller
 * gets its 202, so a crash never loses an accepted event. An event marked done is never run
 * again. An event that was running when the workbench died runs again after the restart, which
 * is the at-least-once delivery that Lambda documents.
 */
export class AsyncQueueStore {
  constructor(private readonly db: WorkbenchDatabase) {}

  accept(event: { requestId: string; functionName: string; qualifier?: string; payload: Buffer; acceptedMs: number }): void {
    this.db
      .prepare(
        `INSERT INTO async_events (request_id, function_name, qualifier, payload, accepted_ms, next_attempt_ms, state)
         VALUES (?, ?, ?, ?, ?, ?, 'queued')`,
      )
      .run(event.requestId, event.functionName, event.qualifier ?? null, event.payload, event.acceptedMs, event.acceptedMs);
  }

  /** Marks due events as running and returns them, oldest first, skipping the functions named in `skip`. */
  claimDue(now: number, limit: number, skip: readonly string[] = []): AsyncEvent[] {
    return this.db.transaction(() => {
      const exclusion = skip.length > 0 ? `AND function_name NOT IN (${skip.map(() => '?').join(', ')})` : '';
      const rows = this.db
        .prepare(
          `SELECT * FROM async_events WHERE state = 'queued' AND next_attempt_ms <= ? ${exclusion} ORDER BY next_attempt_ms, accepted_ms LIMIT ?`,
        )
        .all(now, ...skip, limit) as Row[];
      const mark = this.db.prepare(`UPDATE async_events SET state = 'running' WHERE request_id = ?`);
      for (const row of rows) mark.run(row.request_id);
      return rows.map((row) => ({ ...fromRow(row), state: 'running' as const }));
    })();
  }

  /** Puts an event back in the queue for a later attempt. */
  reschedule(requestId: string, progress: { attempts: number; setbacks: number; nextAttemptMs: number }): void {
    this.db
      .prepare(`UPDATE async_events SET state = 'queued', attempts = ?, setbacks = ?, next_attempt_ms = ? WHERE request_id = ?`)
      .run(progress.attempts, progress.setbacks, progress.nextAttemptMs, requestId);
  }

  /** Marks an event done; pass `alongside` to store its destination messages in the same transaction. */
  complete(requestId: string, result: { attempts: number; outcome: string; finishedMs: number }, alongside?: () => void): void {
    this.db.transaction(() => {
      alongside?.();
      this.db
        .prepare(`UPDATE async_events SET state = 'done', attempts = ?, outcome = ?, finished_ms = ? WHERE request_id = ?`)
        .run(result.attempts, result.outcome, result.finishedMs, requestId);
    })();
  }

  /** After a crash: events that were running go back to the queue. Returns how many. */
  recoverRunning(now: number): number {
    return this.db.prepare(`UPDATE async_events SET state = 'queued', next_attempt_ms = ? WHERE state = 'running'`).run(now).changes;
  }

  nextDueMs(): number | undefined {
    const row = this.db.prepare(`SELECT MIN(next_attempt_ms) AS due FROM async_events WHERE state = 'queued'`).get() as {
      due: number | null;
    };
    return row.due ?? undefined;
  }

  get(requestId: string): AsyncEvent | undefined {
    const row = this.db.prepare('SELECT * FROM async_events WHERE request_id = ?').get(requestId) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  counts(): Record<AsyncEvent['state'], number> {
    const counts = { queued: 0, running: 0, done: 0 };
    for (const row of this.db.prepare('SELECT state, COUNT(*) AS n FROM async_events GROUP BY state').all() as Array<{
      state: AsyncEvent['state'];
      n: number;
    }>) {
      counts[row.state] = row.n;
    }
    return counts;
  }
}
