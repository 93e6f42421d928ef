import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../main/engine/line-splitter.js';
import { LogStore } from '../../main/store/log-store.js';
import { EnvironmentStateMachine } from '../../main/core/environment-state.js';

describe('log store', () => {
  it('stores and queries events', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lwb-logs-')), 'logs.sqlite');
    const store = new LogStore(file);
    store.createStream('/aws/lambda/a', 's1', 1);
    store.createStream('/aws/lambda/a', 's2', 2);
    store.append('/aws/lambda/a', 's1', { timestampMs: 10, message: 'START RequestId: r1', requestId: 'r1', kind: 'platform' });
    store.append('/aws/lambda/a', 's1', { timestampMs: 11, message: 'hello 100% done', requestId: 'r1', kind: 'function' });
    store.append('/aws/lambda/a', 's2', { timestampMs: 12, message: 'other stream', kind: 'function' });
    expect(store.query({ groupName: '/aws/lambda/a', requestId: 'r1' }).map((e) => e.message)).toEqual([
      'START RequestId: r1',
      'hello 100% done',
    ]);
    expect(store.query({ groupName: '/aws/lambda/a', contains: '100%' }).map((e) => e.message)).toEqual(['hello 100% done']);
    expect(store.query({ groupName: '/aws/lambda/a', contains: '%' }).map((e) => e.message)).toEqual(['hello 100% done']);
    const all = store.query({ groupName: '/aws/lambda/a' });
    expect(store.query({ groupName: '/aws/lambda/a', afterId: all[1]!.id }).map((e) => e.message)).toEqual(['other stream']);
    expect(store.query({ groupName: '/aws/lambda/a', limit: 1 }).map((e) => e.message)).toEqual(['other stream']);
    expect(store.listStreams('/aws/lambda/a').map((s) => s.streamName)).toEqual(['s2', 's1']);
    store.close();

    const reopened = new LogStore(file);
    expect(reopened.query({ groupName: '/aws/lambda/a' })).toHaveLength(3);
    expect(reopened.listGroups()).toEqual(['/aws/lambda/a']);
    reopened.close();
  });

  it('rejects an unknown stream', () => {
    const store = new LogStore(':memory:');
    expect(() => store.append('/aws/lambda/x', 'nope', { timestampMs: 1, message: 'm', kind: 'function' })).toThrow('never created');
    store.close();
  });
});

describe('line splitter', () => {
  it('joins lines across chunks', () => {
    const splitter = new LineSplitter();
    const euro = Buffer.from('€');
    expect(splitter.push(Buffer.concat([Buffer.from('a\nprice: '), euro.subarray(0, 1)]))).toEqual(['a']);
    expect(splitter.push(Buffer.concat([euro.subarray(1), Buffer.from('5\nrest')]))).toEqual(['price: €5']);
    expect(splitter.flush()).toEqual(['rest']);
    expect(splitter.flush()).toEqual([]);
  });

  it('cuts lines over 256 KB', () => {
    const splitter = new LineSplitter();
    const lines = splitter.push(Buffer.from(`${'x'.repeat(300 * 1024)}\n`));
    expect(lines.map((line) => line.length)).toEqual([256 * 1024, 44 * 1024]);
  });
});

describe('environment state machine', () => {
  it('allows only lifecycle moves', () => {
    const machine = new EnvironmentStateMachine();
    for (const state of ['initializing', 'ready', 'busy', 'resetting', 'dead', 'initializing', 'ready', 'disposed'] as const)
      machine.moveTo(state);
    expect(() => machine.moveTo('ready')).toThrow('cannot move from disposed to ready');
    expect(() => new EnvironmentStateMachine().moveTo('busy')).toThrow('cannot move from cold to busy');
  });
});
