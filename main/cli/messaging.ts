import path from 'node:path';
import { workspaceDataDir } from '../config/paths.js';
import { WorkbenchError } from '../core/errors.js';
import { openWorkbenchDatabase } from '../store/database.js';
import { MessagingStore, type QueueMessage } from '../store/messaging-store.js';

export interface MessagingOptions {
  template: string;
}

/** Opens the workspace's message store (queues, topics, buses) for one command. */
export function withStore<T>(options: MessagingOptions, use: (store: MessagingStore) => T): T {
  const database = openWorkbenchDatabase(path.join(workspaceDataDir(path.resolve(options.template)), 'workbench.sqlite'));
  try {
    return use(new MessagingStore(database));
  } finally {
    database.close();
  }
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function listMessaging(options: MessagingOptions): void {
  withStore(options, (store) => print({ queues: store.listQueues(), topics: store.listTopics(), buses: store.listBuses() }));
}

/**
 * Receives messages from a local queue as SQS ReceiveMessage does (they become invisible for the
 * visibility timeout), or only lists them with --peek; --delete removes what was received.
 */
export function receiveMessages(
  queue: string,
  options: MessagingOptions & { max: number; peek: boolean; delete: boolean; visibilityTimeout: number },
): void {
  withStore(options, (store) => {
    if (!store.listQueues().some((entry) => entry.name === queue)) {
      throw new WorkbenchError(
        'QueueNotFound',
        'caller',
        `Queue ${queue} does not exist; queues: ${
          store
            .listQueues()
            .map((entry) => entry.name)
            .join(', ') || 'none'
        }.`,
      );
    }
    if (options.peek) {
      print({ Messages: store.peekMessages(queue, options.max).map(sqsShape) });
      return;
    }
    const messages = store.receiveMessages(queue, options.max, options.visibilityTimeout * 1000);
    if (options.delete) for (const message of messages) store.deleteMessage(queue, message.receiptHandle!);
    print({ Messages: messages.map(sqsShape) });
  });
}

export function topicMessages(topic: string, options: MessagingOptions & { max: number }): void {
  withStore(options, (store) => print({ Messages: store.topicMessages(topic, options.max) }));
}

export function busEvents(bus: string, options: MessagingOptions & { max: number }): void {
  withStore(options, (store) => print({ Events: store.busEvents(bus, options.max).map((entry) => entry.event) }));
}

/** A message in the shape of SQS ReceiveMessage output. */
function sqsShape(message: QueueMessage): Record<string, unknown> {
  return {
    MessageId: message.messageId,
    ...(message.receiptHandle ? { ReceiptHandle: message.receiptHandle } : {}),
    Body: message.body,
    Attributes: { ApproximateReceiveCount: String(message.receiveCount), SentTimestamp: String(message.sentMs) },
    ...(Object.keys(message.attributes).length > 0 ? { MessageAttributes: message.attributes } : {}),
  };
}
