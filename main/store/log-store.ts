import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';

export type LogEventKind =
  /** Written by the function's code (stdout and stderr). */
  | 'function'
  /** Written by the workbench in Lambda's name: START, END, REPORT, INIT_REPORT, timeouts. */
  | 'platform';

export interface LogEventInput {
  timestampMs: number;
  message: string;
  requestId?: string;
  kind: LogEventKind;
}

export interface LogEvent extends LogEventInput {
  id: number;
  groupName: string;
  streamName: string;
}

export interface LogStreamInfo {
  groupName: string;
  streamName: string;
  createdMs: number;
  lastEventMs: number | null;
}

export interface LogQuery {
  groupName: string;
  streamName?: string;
  /** Only events with a larger id, so that a follower reads only what is new. */
  afterId?: number;
  requestId?: string;
  /** Plain text that the message must contain. */
  contains?: string;
  /** The newest events up to this many, returned oldest first. */
  limit?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log_streams (
  id INTEGER PRIMARY KEY,
  group_name TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  last_event_ms INTEGER,
  UNIQUE (group_name, stream_name)
);
CREATE TABLE IF NOT EXISTS log_events (
  id INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL REFERENCES log_streams(id) ON DELETE CASCADE,
  timestamp_ms INTEGER NOT NULL,
  message TEXT NOT NULL,
  request_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('function', 'platform'))
);
CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (stream_id, id);
CREATE INDEX IF NOT EXISTS log_events_by_request ON log_events (request_id);
`;

/**
 * Log groups, streams and events named as CloudWatch Logs names them, kept in SQLite. Appends are
 * queued and committed in one transaction per turn of the event loop, so an invocation does not
 * wait for the disk while it writes its log.
 */
export class LogStore extends EventEmitter<{ appended: [LogEvent[]] }> {
  private readonly db: Database.Database;
  private readonly streamNames = new Map<number, { groupName: string; streamName: string }>();
  private readonly queue: Array<{ streamId: number; event: LogEventInput }> = [];
  private flushScheduled = false;
  private readonly streamIds = new Map<string, number>();
  private readonly insertEvent: Database.Statement;
  private readonly touchStream: Database.Statement;

  constructor(file: string) {
    super();
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.insertEvent = this.db.prepare(
      'INSERT INTO log_events (stream_id, timestamp_ms, message, request_id, kind) VALUES (?, ?, ?, ?, ?)',
    );
    this.touchStream = this.db.prepare('UPDATE log_streams SET last_event_ms = ? WHERE id = ?');
  }

  createStream(groupName: string, streamName: string, createdMs: number): void {
    const row = this.db
      .prepare(
        `INSERT INTO log_streams (group_name, stream_name, created_ms) VALUES (?, ?, ?)
         ON CONFLICT (group_name, stream_name) DO UPDATE SET group_name = excluded.group_name
         RETURNING id`,
      )
      .get(groupName, streamName, createdMs) as { id: number };
    this.streamIds.set(`${groupName}\n${streamName}`, row.id);
    this.streamNames.set(row.id, { groupName, streamName });
  }

  append(groupName: string, streamName: string, event: LogEventInput): void {
    const streamId = this.streamIds.get(`${groupName}\n${streamName}`);
    if (streamId === undefined) throw new Error(`Log stream ${groupName} ${streamName} was never created.`);
    this.queue.push({ streamId, event });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Commits queued events now; reads call it so they always see every appended event. */
  flush(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    const written: LogEvent[] = [];
    this.db.transaction(() => {
      const last = new Map<number, number>();
      for (const { streamId, event } of batch) {
        const info = this.insertEvent.run(streamId, event.timestampMs, event.message, event.requestId ?? null, event.kind);
        last.set(streamId, Math.max(last.get(streamId) ?? 0, event.timestampMs));
        written.push({ ...event, id: Number(info.lastInsertRowid), ...this.streamNames.get(streamId)! });
      }
      for (const [streamId, timestamp] of last) this.touchStream.run(timestamp, streamId);
    })();
    if (this.listenerCount('appended') > 0) this.emit('appended', written);
  }

  listGroups(): string[] {
    this.flush();
    return (this.db.prepare('SELECT DISTINCT group_name FROM log_streams ORDER BY group_name').all() as Array<{ group_name: string }>).map(
      (row) => row.group_name,
    );
  }

  /** Streams of a group, the most recently written first, as the Lambda console lists them. */
  listStreams(groupName: string): LogStreamInfo[] {
    this.flush();
    const rows = this.db
      .prepare(
        `SELECT group_name, stream_name, created_ms, last_event_ms FROM log_streams
         WHERE group_name = ? ORDER BY COALESCE(last_event_ms, created_ms) DESC`,
      )
      .all(groupName) as Array<{ group_name: string; stream_name: string; created_ms: number; last_event_ms: number | null }>;
    return rows.map((row) => ({
      groupName: row.group_name,
      streamName: row.stream_name,
      createdMs: row.created_ms,
      lastEventMs: row.last_event_ms,
    }));
  }

  query(query: LogQuery): LogEvent[] {
    this.flush();
    const conditions = ['s.group_name = ?'];
    const parameters: unknown[] = [query.groupName];
    if (query.streamName) {
      conditions.push('s.stream_name = ?');
      parameters.push(query.streamName);
    }
    if (query.afterId !== undefined) {
      conditions.push('e.id > ?');
      parameters.push(query.afterId);
    }
    if (query.requestId) {
      conditions.push('e.request_id = ?');
      parameters.push(query.requestId);
    }
    if (query.contains) {
      conditions.push("e.message LIKE ? ESCAPE '\\'");
      parameters.push(`%${query.contains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    parameters.push(query.limit ?? 10_000);
    const rows = this.db
      .prepare(
        `SELECT * FROM (
           SELECT e.id, s.group_name, s.stream_name, e.timestamp_ms, e.message, e.request_id, e.kind
           FROM log_events e JOIN log_streams s ON s.id = e.stream_id
           WHERE ${conditions.join(' AND ')} ORDER BY e.id DESC LIMIT ?
         ) ORDER BY id ASC`,
      )
      .all(...parameters) as Array<{
      id: number;
      group_name: string;
      stream_name: string;
      timestamp_ms: number;
      message: string;
      request_id: string | null;
      kind: LogEventKind;
    }>;
    return rows.map((row) => ({
      id: row.id,
      groupName: row.group_name,
      streamName: row.stream_name,
      timestampMs: row.timestamp_ms,
      message: row.message,
      ...(row.request_id ? { requestId: row.request_id } : {}),
      kind: row.kind,
    }));
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
