import { useEffect, useState } from 'react';
import type { LogLine } from '../../../main/contract/types';
import { useClient } from './client-context';

/** At most this many lines are kept in memory; older ones drop off as new ones arrive. */
const MAX_LINES = 200_000;
/** How many of the newest lines the first query loads. */
const INITIAL_LINES = 100_000;

export interface LogsState {
  lines: LogLine[];
  /** Changes whenever `lines` changes; the array itself is appended to in place. */
  version: number;
  loading: boolean;
  error: string | undefined;
  /** True when the log has more lines than the first query loaded (the newest INITIAL_LINES). */
  truncated: boolean;
}

interface Snapshot {
  key: string;
  lines: LogLine[];
  version: number;
  error: string | undefined;
  truncated: boolean;
}

/**
 * A function's log lines, oldest first, with live tail: lines pushed by main while the first
 * query runs are arrivedDuringQuery back and appended after its result, so none is lost or shown twice. The
 * array grows in place (100,000 lines are not copied for each new one); `version` marks changes.
 */
export function useLogs(functionName: string, stream: string | undefined, live: boolean): LogsState {
  const client = useClient();
  const key = `${functionName}\n${stream ?? ''}\n${live}`;
  const [snapshot, setSnapshot] = useState<Snapshot>({ key: '', lines: [], version: 0, error: undefined, truncated: false });

  useEffect(() => {
    let cancelled = false;
    let lines: LogLine[] | undefined;
    const arrivedDuringQuery: LogLine[] = [];
    let version = 0;
    let truncated = false;
    const publish = (): void => setSnapshot({ key, lines: lines ?? [], version: ++version, error: undefined, truncated });
    const append = (target: LogLine[], fresh: LogLine[]): void => {
      const last = target.at(-1)?.id ?? 0;
      for (const line of fresh) if (line.id > last) target.push(line);
      if (target.length > MAX_LINES) target.splice(0, target.length - MAX_LINES);
    };

    const stop = live
      ? client.on('logs.appended', (payload) => {
          if (payload.functionName !== functionName) return;
          const fresh = stream ? payload.lines.filter((line) => line.stream === stream) : payload.lines;
          if (fresh.length === 0) return;
          if (!lines) {
            for (const line of fresh) arrivedDuringQuery.push(line);
            return;
          }
          append(lines, fresh);
          publish();
        })
      : () => undefined;

    // One line more than shown tells whether older lines exist.
    client.call('logs.query', { name: functionName, limit: INITIAL_LINES + 1, ...(stream ? { stream } : {}) }).then(
      (result) => {
        if (cancelled) return;
        truncated = result.length > INITIAL_LINES;
        lines = truncated ? result.slice(1) : result;
        append(lines, arrivedDuringQuery);
        publish();
      },
      (failure: Error) => {
        if (!cancelled) setSnapshot({ key, lines: [], version: ++version, error: failure.message, truncated: false });
      },
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, [client, functionName, stream, live, key]);

  const current = snapshot.key === key;
  return {
    lines: current ? snapshot.lines : [],
    version: snapshot.version,
    loading: !current,
    error: current ? snapshot.error : undefined,
    truncated: current && snapshot.truncated,
  };
}
