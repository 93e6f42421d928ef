import { randomUUID } from 'node:crypto';
import type { WorkbenchDatabase } from './database.js';

export type MessageAttributes = Record<string, { DataType: 'String' | 'Number' | 'Binary'; StringValue?: string; BinaryValue?: string }>;

export interface QueueMessage {
  messageId: string;
  body: string;
  attributes: MessageAttributes;
  sentMs: number;
  receiveCount: number;
  receiptHandle?: string;
}

export interface TopicMessage {
  messageId: string;
  subject: string | undefined;
  body: string;
  attributes: MessageAttributes;
  publishedMs: number;
}

export interface BusEvent {
  id: string;
  event: Record<string, unknown>;
  putMs: number;
}

/**
 * The workbench's own SQS queues, SNS topics and EventBridge buses: persisted, created on first
 * use, and readable from the CLI and the UI. Destinations and dead-letter queues write here.
 */
export class MessagingStore {
  constructor(private readonly db: WorkbenchDatabase) {}

  // ---- queues ----

  ensureQueue(name: string, now = Date.now()): void {
    this.db
      .prepare('INSERT OR IGNORE INTO queues (name, fifo, created_ms) VALUES (?, ?, ?)')
      .run(name, name.endsWith('.fifo') ? 1 : 0, now);
  }

  listQueues(): Array<{ name: string; messages: number }> {
    return this.db
      .prepare(
        'SELECT q.name, COUNT(m.id) AS messages FROM queues q LEFT JOIN queue_messages m ON m.queue = q.name GROUP BY q.name ORDER BY q.name',
      )
      .all() as Array<{ name: string; messages: number }>;
  }

  sendMessage(queue: string, body: string, attributes: MessageAttributes = {}, now = Date.now()): string {
    this.ensureQueue(queue, now);
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO queue_messages (id, queue, seq, body, attributes_json, sent_ms, visible_at_ms)
         VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM queue_messages WHERE queue = ?), ?, ?, ?, ?)`,
      )
      .run(id, queue, queue, body, JSON.stringify(attributes), now, now);
    return id;
  }

  /** Receives visible messages, hiding them for the visibility timeout, as SQS ReceiveMessage does. */
  receiveMessages(queue: string, maxMessages: number, visibilityTimeoutMs: number, now = Date.now()): QueueMessage[] {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT * FROM queue_messages WHERE queue = ? AND visible_at_ms <= ? ORDER BY seq LIMIT ?')
        .all(queue, now, maxMessages) as MessageRow[];
      const update = this.db.prepare(
        'UPDATE queue_messages SET receive_count = receive_count + 1, visible_at_ms = ?, receipt_handle = ?, first_received_ms = COALESCE(first_received_ms, ?) WHERE id = ?',
      );
      return rows.map((row) => {
        const receiptHandle = randomUUID();
        update.run(now + visibilityTimeoutMs, receiptHandle, now, row.id);
        return { ...fromMessageRow(row), receiveCount: row.receive_count + 1, receiptHandle };
      });
    })();
  }

  deleteMessage(queue: string, receiptHandle: string): boolean {
    return this.db.prepare('DELETE FROM queue_messages WHERE queue = ? AND receipt_handle = ?').run(queue, receiptHandle).changes > 0;
  }

  /** Lists a queue's messages without receiving them, oldest first. */
  peekMessages(queue: string, limit = 1_000): QueueMessage[] {
    return (this.db.prepare('SELECT * FROM queue_messages WHERE queue = ? ORDER BY seq LIMIT ?').all(queue, limit) as MessageRow[]).map(
      fromMessageRow,
    );
  }

  purgeQueue(queue: string): number {
    return this.db.prepare('DELETE FROM queue_messages WHERE queue = ?').run(queue).changes;
  }

  // ---- topics ----

  ensureTopic(name: string, now = Date.now()): void {
    this.db.prepare('INSERT OR IGNORE INTO topics (name, created_ms) VALUES (?, ?)').run(name, now);
  }

  publish(topic: string, body: string, subject?: string, attributes: MessageAttributes = {}, now = Date.now()): string {
    this.ensureTopic(topic, now);
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO topic_messages (id, topic, seq, subject, body, attributes_json, published_ms)
         VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM topic_messages WHERE topic = ?), ?, ?, ?, ?)`,
      )
      .run(id, topic, topic, subject ?? null, body, JSON.stringify(attributes), now);
    return id;
  }

  listTopics(): Array<{ name: string; messages: number }> {
    return this.db
      .prepare(
        'SELECT t.name, COUNT(m.id) AS messages FROM topics t LEFT JOIN topic_messages m ON m.topic = t.name GROUP BY t.name ORDER BY t.name',
      )
      .all() as Array<{ name: string; messages: number }>;
  }

  topicMessages(topic: string, limit = 1_000): TopicMessage[] {
    const rows = this.db.prepare('SELECT * FROM topic_messages WHERE topic = ? ORDER BY seq LIMIT ?').all(topic, limit) as Array<{
      id: string;
      subject: string | null;
      body: string;
      attributes_json: string;
      published_ms: number;
    }>;
    return rows.map((row) => ({
      messageId: row.id,
      subject: row.subject ?? undefined,
      body: row.body,
      attributes: JSON.parse(row.attributes_json) as MessageAttributes,
      publishedMs: row.published_ms,
    }));
  }

  // ---- buses ----

  ensureBus(name: string, now = Date.now()): void {
    this.db.prepare('INSERT OR IGNORE INTO buses (name, created_ms) VALUES (?, ?)').run(name, now);
  }

  putEvent(bus: string, event: Record<string, unknown>, now = Date.now()): string {
    this.ensureBus(bus, now);
    const id = typeof event.id === 'string' ? event.id : randomUUID();
    this.db
      .prepare(
        `INSERT INTO bus_events (id, bus, seq, event_json, put_ms)
         VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM bus_events WHERE bus = ?), ?, ?)`,
      )
      .run(id, bus, bus, JSON.stringify({ ...event, id }), now);
    return id;
  }

  listBuses(): Array<{ name: string; events: number }> {
    return this.db
      .prepare('SELECT b.name, COUNT(e.id) AS events FROM buses b LEFT JOIN bus_events e ON e.bus = b.name GROUP BY b.name ORDER BY b.name')
      .all() as Array<{ name: string; events: number }>;
  }

  busEvents(bus: string, limit = 1_000): BusEvent[] {
    const rows = this.db.prepare('SELECT * FROM bus_events WHERE bus = ? ORDER BY seq LIMIT ?').all(bus, limit) as Array<{
      id: string;
      event_json: string;
      put_ms: number;
    }>;
    return rows.map((row) => ({ id: row.id, event: JSON.parse(row.event_json) as Record<string, unknown>, putMs: row.put_ms }));
  }
}

interface MessageRow {
  id: string;
  body: string;
  attributes_json: string;
  sent_ms: number;
  receive_count: number;
  receipt_handle: string | null;
}

function fromMessageRow(row: MessageRow): QueueMessage {
  return {
    messageId: row.id,
    body: row.body,
    attributes: JSON.parse(row.attributes_json) as MessageAttributes,
    sentMs: row.sent_ms,
    receiveCount: row.receive_count,
  };
}
