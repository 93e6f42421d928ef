import { describe, expect, it } from 'vitest';
import {
  billedDurationMs,
  describeExit,
  logStreamName,
  reportLine,
  runtimeExitMessage,
  timeoutMessage,
  traceHeader,
} from '../../main/core/lambda-format.js';
import { parseFunctionName } from '../../main/lambda-api/function-name.js';

describe("Lambda's log lines", () => {
  it('formats the REPORT line', () => {
    expect(reportLine({ requestId: 'r', durationMs: 12.345, memorySizeMb: 128, maxMemoryUsedMb: 20, initDurationMs: 150.5 })).toBe(
      'REPORT RequestId: r\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tInit Duration: 150.50 ms\t',
    );
    expect(
      reportLine({
        requestId: 'r',
        durationMs: 1000,
        memorySizeMb: 128,
        maxMemoryUsedMb: 20,
        status: 'timeout',
        errorType: 'Sandbox.Timedout',
      }),
    ).toBe(
      'REPORT RequestId: r\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\tStatus: timeout\tError Type: Sandbox.Timedout\t',
    );
  });

  it('rounds billed duration up', () => {
    expect(billedDurationMs(0.2)).toBe(1);
    expect(billedDurationMs(12.01)).toBe(13);
    expect(billedDurationMs(12)).toBe(12);
  });

  it('describes exits as Lambda does', () => {
    expect(describeExit(1)).toBe('exit status 1');
    expect(describeExit(129)).toBe('exit status 129');
    expect(describeExit(137)).toBe('signal: killed');
    expect(runtimeExitMessage('id', 0)).toBe('RequestId: id Error: Runtime exited without providing a reason');
    expect(timeoutMessage(3)).toBe('Task timed out after 3.00 seconds');
  });

  it('names streams and traces', () => {
    expect(logStreamName('$LATEST', new Date('2026-03-07T10:00:00Z'))).toMatch(/^2026\/03\/07\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(traceHeader(new Date(0x65000000 * 1000))).toMatch(/^Root=1-65000000-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0;Lineage=/);
  });
});

describe('FunctionName parameter', () => {
  it.each([
    ['my-function', { name: 'my-function' }],
    ['my-function:prod', { name: 'my-function', qualifier: 'prod' }],
    ['123456789012:function:my-function', { name: 'my-function' }],
    ['arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST', { name: 'my-function', qualifier: '$LATEST' }],
  ])('parses %s', (raw, expected) => {
    expect(parseFunctionName(raw, undefined)).toEqual(expected);
  });

  it('rejects conflicting qualifiers', () => {
    expect(() => parseFunctionName('fn:1', '2')).toThrow(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  });

  it('rejects an invalid name', () => {
    expect(() => parseFunctionName('bad name!', undefined)).toThrow(/Value 'bad name!' at 'functionName' failed to satisfy constraint/);
  });
});
