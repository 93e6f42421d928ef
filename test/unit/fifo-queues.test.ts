import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fifoSendOptions } from '../../main/core/triggers/trigger-config.js';
import { openWorkbenchDatabase, type WorkbenchDatabase } from '../../main/store/database.js';
import { MessagingStore } from '../../main/store/messaging-store.js';

// FIFO queues in the workbench's store, against a real SQLite file.
let dir: string;
let database: WorkbenchDatabase;
let store: MessagingStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lwb-fifo-'));
  database = openWorkbenchDatabase(path.join(dir, 'workbench.sqlite'));
  store = new MessagingStore(database);
});

afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

const ORDERS = { name: 'Orders.fifo', fifo: true, contentBasedDeduplication: true };

describe('FIFO queues', () => {
  it('deduplicates by content after delete', () => {
    const send = (body: string, now: number): string =>
      store.sendMessage('Orders.fifo', body, {}, now, fifoSendOptions(ORDERS, body, { groupId: 'g1' }));
    const first = send('a1', 1_000);
    const [received] = store.receiveMessages('Orders.fifo', 10, 30_000, 1_000);
    expect(store.deleteMessage('Orders.fifo', received!.receiptHandle!)).toBe(true);
    // Within five minutes the same body is accepted but not queued again.
    expect(send('a1', 2_000)).toBe(first);
    expect(store.peekMessages('Orders.fifo')).toEqual([]);
    // After five minutes it is a new message.
    expect(send('a1', 1_000 + 5 * 60_000 + 1)).not.toBe(first);
    expect(store.peekMessages('Orders.fifo')).toHaveLength(1);
  });

  it('deduplicates by explicit id', () => {
    const options = fifoSendOptions({ ...ORDERS, contentBasedDeduplication: false }, 'x', { groupId: 'g1', deduplicationId: 'same1' });
    const first = store.sendMessage('Orders.fifo', 'x', {}, 1_000, options);
    expect(store.sendMessage('Orders.fifo', 'y', {}, 1_500, options)).toBe(first);
    expect(store.peekMessages('Orders.fifo').map((message) => message.body)).toEqual(['x']);
  });

  it('numbers messages in increasing order', () => {
    const sequence = (body: string): string | undefined => {
      store.sendMessage('Orders.fifo', body, {}, 1_000, fifoSendOptions(ORDERS, body, { groupId: 'g1' }));
      const [message] = store.receiveMessages('Orders.fifo', 1, 30_000, 1_000);
      store.deleteMessage('Orders.fifo', message!.receiptHandle!);
      return message!.sequenceNumber;
    };
    const numbers = ['a', 'b', 'c'].map(sequence);
    expect(numbers).toEqual(['00000000000000000001', '00000000000000000002', '00000000000000000003']);
  });

  it('rejects missing group and deduplication ids', () => {
    expect(() => fifoSendOptions(ORDERS, 'x', {})).toThrow('Queue Orders.fifo is a FIFO queue: give a message group id.');
    expect(() => fifoSendOptions({ ...ORDERS, contentBasedDeduplication: false }, 'x', { groupId: 'g' })).toThrow(
      'Queue Orders.fifo should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly.',
    );
    expect(() => fifoSendOptions({ name: 'Jobs', fifo: false, contentBasedDeduplication: false }, 'x', { groupId: 'g' })).toThrow(
      /Jobs is a standard queue/,
    );
  });

  it('keeps the receive count in the dead-letter queue', () => {
    store.sendMessage('Jobs', 'fails', {}, 1_000);
    for (let attempt = 0; attempt < 2; attempt += 1) store.receiveMessages('Jobs', 10, 10, 1_000 + attempt * 100);
    store.receiveMessages('Jobs', 10, 10, 2_000, { deadLetterQueue: 'FailedJobs', maxReceiveCount: 2 });
    expect(store.peekMessages('FailedJobs')).toMatchObject([{ body: 'fails', receiveCount: 2 }]);
  });
});
