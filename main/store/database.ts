import Database from 'better-sqlite3';

/**
 * The workbench's state for one workspace, in one SQLite file: control-plane records, the
 * asynchronous event queue, local queues, topics and buses, and metrics. One file lets an event
 * be marked done and its destination message be stored in the same transaction.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE versions (
    function_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_ms INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    config_json TEXT NOT NULL,
    code_dir TEXT NOT NULL,
    code_sha256 TEXT NOT NULL,
    code_size INTEGER NOT NULL,
    config_digest TEXT NOT NULL,
    PRIMARY KEY (function_name, version)
  );
  CREATE TABLE aliases (
    function_name TEXT NOT NULL,
    name TEXT NOT NULL,
    function_version TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    routing_json TEXT,
    revision_id TEXT NOT NULL,
    PRIMARY KEY (function_name, name)
  );
  CREATE TABLE provisioned_concurrency (
    function_name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    requested INTEGER NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY (function_name, qualifier)
  );
  CREATE TABLE event_invoke_configs (
    function_name TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    config_json TEXT NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY (function_name, qualifier)
  );
  CREATE TABLE async_events (
    request_id TEXT PRIMARY KEY,
    function_name TEXT NOT NULL,
    qualifier TEXT,
    payload BLOB NOT NULL,
    accepted_ms INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    setbacks INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done')),
    outcome TEXT,
    finished_ms INTEGER
  );
  CREATE INDEX async_events_due ON async_events (state, next_attempt_ms);
  CREATE TABLE queues (
    name TEXT PRIMARY KEY,
    fifo INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    attributes_json TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE queue_messages (
    id TEXT PRIMARY KEY,
    queue TEXT NOT NULL REFERENCES queues(name) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    attributes_json TEXT NOT NULL DEFAULT '{}',
    sent_ms INTEGER NOT NULL,
    receive_count INTEGER NOT NULL DEFAULT 0,
    visible_at_ms INTEGER NOT NULL,
    receipt_handle TEXT,
    first_received_ms INTEGER
  );
  CREATE INDEX queue_messages_by_queue ON queue_messages (queue, seq);
  CREATE TABLE topics (name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL);
  CREATE TABLE topic_messages (
    id TEXT PRIMARY KEY,
    topic TEXT NOT NULL REFERENCES topics(name) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    attributes_json TEXT NOT NULL DEFAULT '{}',
    published_ms INTEGER NOT NULL
  );
  CREATE TABLE buses (name TEXT PRIMARY KEY, created_ms INTEGER NOT NULL);
  CREATE TABLE bus_events (
    id TEXT PRIMARY KEY,
    bus TEXT NOT NULL REFERENCES buses(name) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    event_json TEXT NOT NULL,
    put_ms INTEGER NOT NULL
  );
  CREATE TABLE metrics (
    function_name TEXT NOT NULL,
    minute INTEGER NOT NULL,
    invocations INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    throttles INTEGER NOT NULL DEFAULT 0,
    duration_sum REAL NOT NULL DEFAULT 0,
    duration_max REAL NOT NULL DEFAULT 0,
    concurrent_max INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (function_name, minute)
  );
  `,
  `
  CREATE TABLE layer_versions (
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    digest TEXT NOT NULL,
    content_dir TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    compatible_runtimes_json TEXT,
    compatible_architectures_json TEXT,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (name, version)
  );
  `,
  `
  -- A deleted version keeps its row, so that its number is never given out again, as on Lambda.
  ALTER TABLE versions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- FIFO queues: message groups and deduplication ids.
  ALTER TABLE queue_messages ADD COLUMN group_id TEXT;
  ALTER TABLE queue_messages ADD COLUMN dedup_id TEXT;
  CREATE INDEX queue_messages_visible ON queue_messages (queue, visible_at_ms);
  `,
  `
  -- Topic messages and bus events wait here until the workbench that serves the workspace has
  -- delivered them to subscribers and rules; rows from before this column count as delivered.
  ALTER TABLE topic_messages ADD COLUMN dispatched INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE bus_events ADD COLUMN dispatched INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX topic_messages_pending ON topic_messages (dispatched, topic);
  CREATE INDEX bus_events_pending ON bus_events (dispatched, bus);
  CREATE TABLE function_permissions (
    function_name TEXT NOT NULL,
    statement_id TEXT NOT NULL,
    statement_json TEXT NOT NULL,
    PRIMARY KEY (function_name, statement_id)
  );
  `,
  `
  -- Sequence numbers only grow, even when the queue empties; deduplication ids are remembered
  -- for five minutes after their message is sent, received and deleted, as SQS remembers them.
  ALTER TABLE queues ADD COLUMN last_seq INTEGER NOT NULL DEFAULT 0;
  UPDATE queues SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM queue_messages WHERE queue = queues.name);
  CREATE TABLE queue_deduplication (
    queue TEXT NOT NULL,
    dedup_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sent_ms INTEGER NOT NULL,
    PRIMARY KEY (queue, dedup_id)
  );
  `,
];

export type WorkbenchDatabase = Database.Database;

export function openWorkbenchDatabase(file: string): WorkbenchDatabase {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // In WAL mode, NORMAL keeps every committed transaction through a crash of the workbench
  // (kill -9); only a crash of the whole machine can lose the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let index = version; index < MIGRATIONS.length; index += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[index]!);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
  return db;
}
