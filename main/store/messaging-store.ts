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
  firstReceivedMs?: number;
  /** FIFO queues: the message group, which is delivered in order, one batch at a time. */
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
}

/** Where a queue sends messages received too often: its dead-letter queue (RedrivePolicy). */
export interface Redrive {
  deadLetterQueue: string;
  maxReceiveCount: number;
}

/** SQS deduplicates FIFO messages with the same id sent within five minutes. */
const DEDUPLICATION_MS = 5 * 60_000;

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

  /**
   * Sends a message. A FIFO queue (name ending in .fifo) needs a group id; a second message with a
   * deduplication id sent within five minutes is accepted but not stored, as SQS does, even when
   * the first was already received and deleted.
   */
  sendMessage(
    queue: string,
    body: string,
    attributes: MessageAttributes = {},
    now = Date.now(),
    fifo: { groupId?: string; deduplicationId?: string } = {},
  ): string {
    return this.db.transaction(() => {
      this.ensureQueue(queue, now);
      if (fifo.deduplicationId) {
        this.db.prepare('DELETE FROM queue_deduplication WHERE sent_ms <= ?').run(now - DEDUPLICATION_MS);
        const duplicate = this.db
          .prepare('SELECT message_id FROM queue_deduplication WHERE queue = ? AND dedup_id = ?')
          .get(queue, fifo.deduplicationId) as { message_id: string } | undefined;
        if (duplicate) return duplicate.message_id;
      }
      const id = randomUUID();
      this.db
        .prepare(
          `INSERT INTO queue_messages (id, queue, seq, body, attributes_json, sent_ms, visible_at_ms, group_id, dedup_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          queue,
          this.nextSequence(queue),
          body,
          JSON.stringify(attributes),
          now,
          now,
          fifo.groupId ?? null,
          fifo.deduplicationId ?? null,
        );
      if (fifo.deduplicationId)
        this.db
          .prepare('INSERT INTO queue_deduplication (queue, dedup_id, message_id, sent_ms) VALUES (?, ?, ?, ?)')
          .run(queue, fifo.deduplicationId, id, now);
      return id;
    })();
  }

  /** Takes the queue's next sequence number; numbers are never reused, as SQS's only grow. */
  private nextSequence(queue: string): number {
    return (
      this.db.prepare('UPDATE queues SET last_seq = last_seq + 1 WHERE name = ? RETURNING last_seq').get(queue) as { last_seq: number }
    ).last_seq;
  }

  /**
   * Receives visible messages, hiding them for the visibility timeout, as SQS ReceiveMessage does.
   * In a FIFO queue a group with a message in flight delivers nothing more until that one is gone.
   * With a redrive policy, a message already received maxReceiveCount times moves to the
   * dead-letter queue instead of being delivered again.
   */
  receiveMessages(queue: string, maxMessages: number, visibilityTimeoutMs: number, now = Date.now(), redrive?: Redrive): QueueMessage[] {
    return this.db.transaction(() => {
      const fifo = queue.endsWith('.fifo');
      const locked = new Set(
        fifo
          ? (
              this.db
                .prepare('SELECT DISTINCT group_id FROM queue_messages WHERE queue = ? AND visible_at_ms > ?')
                .all(queue, now) as Array<{ group_id: string | null }>
            ).map((row) => row.group_id)
          : [],
      );
      const candidates = this.db
        .prepare('SELECT * FROM queue_messages WHERE queue = ? AND visible_at_ms <= ? ORDER BY seq LIMIT ?')
        .all(queue, now, fifo || redrive ? maxMessages * 10 + 100 : maxMessages) as MessageRow[];
      const update = this.db.prepare(
        'UPDATE queue_messages SET receive_count = receive_count + 1, visible_at_ms = ?, receipt_handle = ?, first_received_ms = COALESCE(first_received_ms, ?) WHERE id = ?',
      );
      const received: QueueMessage[] = [];
      for (const row of candidates) {
        if (received.length >= maxMessages) break;
        if (redrive && row.receive_count >= redrive.maxReceiveCount) {
          this.moveToQueue(row, redrive.deadLetterQueue, now);
          continue;
        }
        if (fifo && locked.has(row.group_id)) continue;
        const receiptHandle = randomUUID();
        update.run(now + visibilityTimeoutMs, receiptHandle, now, row.id);
        received.push({
          ...fromMessageRow(row),
          receiveCount: row.receive_count + 1,
          receiptHandle,
          firstReceivedMs: row.first_received_ms ?? now,
        });
      }
      return received;
    })();
  }

  /** Makes received messages visible again at once (ChangeMessageVisibility with 0). */
  releaseMessages(queue: string, receiptHandles: string[], now = Date.now()): void {
    const update = this.db.prepare('UPDATE queue_messages SET visible_at_ms = ? WHERE queue = ? AND receipt_handle = ?');
    this.db.transaction(() => {
      for (const handle of receiptHandles) update.run(now, queue, handle);
    })();
  }

  /** Counts a queue's messages: waiting (visible) and in flight (received, not deleted). */
  queueDepth(queue: string, now = Date.now()): { visible: number; inFlight: number } {
    const row = this.db
      .prepare(
        'SELECT SUM(CASE WHEN visible_at_ms <= ? THEN 1 ELSE 0 END) AS visible, SUM(CASE WHEN visible_at_ms > ? THEN 1 ELSE 0 END) AS in_flight FROM queue_messages WHERE queue = ?',
      )
      .get(now, now, queue) as { visible: number | null; in_flight: number | null };
    return { visible: row.visible ?? 0, inFlight: row.in_flight ?? 0 };
  }

  private moveToQueue(row: MessageRow, target: string, now: number): void {
    this.ensureQueue(target, now);
    this.db.prepare('DELETE FROM queue_messages WHERE id = ?').run(row.id);
    this.db
      .prepare(
        `INSERT INTO queue_messages (id, queue, seq, body, attributes_json, sent_ms, visible_at_ms, group_id, dedup_id, receive_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      // The message keeps its sent time and its receive count, so the dead-letter queue shows how often it failed.
      .run(
        row.id,
        target,
        this.nextSequence(target),
        row.body,
        row.attributes_json,
        row.sent_ms,
        now,
        row.group_id ?? null,
        row.dedup_id ?? null,
        row.receive_count,
      );
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
        `INSERT INTO topic_messages (id, topic, seq, subject, body, attributes_json, published_ms, dispatched)
         VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM topic_messages WHERE topic = ?), ?, ?, ?, ?, 0)`,
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

  /**
   * Claims the topic messages not delivered yet, oldest first, marking them delivered in the same
   * transaction, so that each reaches its subscribers once even with several readers.
   */
  claimTopicMessages(limit = 500): Array<TopicMessage & { topic: string }> {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT * FROM topic_messages WHERE dispatched = 0 ORDER BY published_ms, seq LIMIT ?')
        .all(limit) as Array<{
        id: string;
        topic: string;
        subject: string | null;
        body: string;
        attributes_json: string;
        published_ms: number;
      }>;
      const mark = this.db.prepare('UPDATE topic_messages SET dispatched = 1 WHERE id = ?');
      for (const row of rows) mark.run(row.id);
      return rows.map((row) => ({
        topic: row.topic,
        messageId: row.id,
        subject: row.subject ?? undefined,
        body: row.body,
        attributes: JSON.parse(row.attributes_json) as MessageAttributes,
        publishedMs: row.published_ms,
      }));
    })();
  }

  /** Claims the bus events not matched against rules yet, as claimTopicMessages does for topics. */
  claimBusEvents(limit = 500): Array<BusEvent & { bus: string }> {
    return this.db.transaction(() => {
      const rows = this.db.prepare('SELECT * FROM bus_events WHERE dispatched = 0 ORDER BY put_ms, seq LIMIT ?').all(limit) as Array<{
        id: string;
        bus: string;
        event_json: string;
        put_ms: number;
      }>;
      const mark = this.db.prepare('UPDATE bus_events SET dispatched = 1 WHERE id = ?');
      for (const row of rows) mark.run(row.id);
      return rows.map((row) => ({
        bus: row.bus,
        id: row.id,
        event: JSON.parse(row.event_json) as Record<string, unknown>,
        putMs: row.put_ms,
      }));
    })();
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
        `INSERT INTO bus_events (id, bus, seq, event_json, put_ms, dispatched)
         VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM bus_events WHERE bus = ?), ?, ?, 0)`,
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
  seq: number;
  body: string;
  attributes_json: string;
  sent_ms: number;
  receive_count: number;
  receipt_handle: string | null;
  first_received_ms: number | null;
  group_id: string | null;
  dedup_id: string | null;
}

function fromMessageRow(row: MessageRow): QueueMessage {
  return {
    messageId: row.id,
    body: row.body,
    attributes: JSON.parse(row.attributes_json) as MessageAttributes,
    sentMs: row.sent_ms,
    receiveCount: row.receive_count,
    ...(row.group_id ? { groupId: row.group_id, sequenceNumber: String(row.seq).padStart(20, '0') } : {}),
    ...(row.dedup_id ? { deduplicationId: row.dedup_id } : {}),
  };
}
