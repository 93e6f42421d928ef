import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { FunctionDetail, LogLine, MetricPoint } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { useLogs } from '../hooks/use-logs';
import { LogView } from './LogView';
import { MetricChart } from './MetricChart';

const RANGES = [
  { minutes: 60, label: '1h' },
  { minutes: 180, label: '3h' },
  { minutes: 720, label: '12h' },
  { minutes: 1440, label: '1d' },
];

/** Renders the Monitor tab: metrics over time, then the function's log streams with live tail and filter. */
export function MonitorTab({ fn }: { fn: FunctionDetail }) {
  return (
    <div className="monitor-tab">
      <Metrics name={fn.name} />
      <Logs name={fn.name} />
    </div>
  );
}

function Metrics({ name }: { name: string }) {
  const [minutes, setMinutes] = useState(60);
  const metrics = useCall('metrics.get', { name, minutes });
  const { reload } = metrics;
  const client = useClient();
  useEffect(() => {
    const timer = setInterval(reload, 5_000);
    // New invocations show within a second, however many arrive.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const stop = client.on('invocation.finished', (payload) => {
      if (payload.functionName !== name || pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        reload();
      }, 1_000);
    });
    return () => {
      clearInterval(timer);
      clearTimeout(pending);
      stop();
    };
  }, [reload, client, name]);
  const timeline = useMemo(() => fillMinutes(metrics.data ?? [], minutes), [metrics.data, minutes]);

  return (
    <div className="panel">
      <div className="toolbar">
        <h2>Metrics</h2>
        <span className="spacer" />
        <div className="segmented" role="group" aria-label="Time range">
          {RANGES.map((range) => (
            <button key={range.minutes} className={range.minutes === minutes ? 'active' : ''} onClick={() => setMinutes(range.minutes)}>
              {range.label}
            </button>
          ))}
        </div>
      </div>
      <div className="charts">
        <MetricChart
          title="Invocations"
          unit="Count"
          times={timeline.times}
          series={[{ label: 'Invocations', values: timeline.invocations, className: 'blue' }]}
          testId="chart-invocations"
        />
        <MetricChart
          title="Errors"
          unit="Count"
          times={timeline.times}
          series={[{ label: 'Errors', values: timeline.errors, className: 'red' }]}
          testId="chart-errors"
        />
        <MetricChart
          title="Duration"
          unit="ms"
          times={timeline.times}
          series={[
            { label: 'Average', values: timeline.durationAverage, className: 'blue' },
            { label: 'Maximum', values: timeline.durationMax, className: 'orange' },
          ]}
          testId="chart-duration"
        />
        <MetricChart
          title="Throttles"
          unit="Count"
          times={timeline.times}
          series={[{ label: 'Throttles', values: timeline.throttles, className: 'orange' }]}
          testId="chart-throttles"
        />
      </div>
    </div>
  );
}

/** Spreads the metrics over every minute of the range, with zeros where nothing ran. */
function fillMinutes(points: MetricPoint[], minutes: number) {
  const byMinute = new Map(points.map((point) => [Date.parse(point.minute), point]));
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  // Long ranges are drawn in buckets so a chart keeps about 120 points.
  const bucket = Math.max(1, Math.ceil(minutes / 120));
  const result = {
    times: [] as number[],
    invocations: [] as number[],
    errors: [] as number[],
    throttles: [] as number[],
    durationAverage: [] as number[],
    durationMax: [] as number[],
  };
  for (let start = now - (minutes - 1) * 60_000; start <= now; start += bucket * 60_000) {
    let invocations = 0;
    let errors = 0;
    let throttles = 0;
    let durationSum = 0;
    let durationMax = 0;
    for (let minute = start; minute < start + bucket * 60_000 && minute <= now; minute += 60_000) {
      const point = byMinute.get(minute);
      if (!point) continue;
      invocations += point.invocations;
      errors += point.errors;
      throttles += point.throttles;
      durationSum += point.durationAverageMs * point.invocations;
      durationMax = Math.max(durationMax, point.durationMaxMs);
    }
    result.times.push(start);
    result.invocations.push(invocations);
    result.errors.push(errors);
    result.throttles.push(throttles);
    result.durationAverage.push(invocations > 0 ? durationSum / invocations : 0);
    result.durationMax.push(durationMax);
  }
  return result;
}

function Logs({ name }: { name: string }) {
  const streams = useCall('logs.streams', { name });
  const [stream, setStream] = useState<string>();
  const [live, setLive] = useState(true);
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const logs = useLogs(name, stream, live);
  const { reload } = streams;
  useEffect(() => {
    const timer = setInterval(reload, 5_000);
    return () => clearInterval(timer);
  }, [reload]);

  const newestFirst = useMemo(
    () => [...(streams.data ?? [])].sort((a, b) => (b.lastEventAt ?? b.createdAt).localeCompare(a.lastEventAt ?? a.createdAt)),
    [streams.data],
  );
  const needle = deferredFilter.trim();
  // Lines older than those loaded are searched by main.
  const searchOlder = logs.truncated && needle !== '';
  const serverSearch = useCall('logs.query', searchOlder ? { name, filter: needle, limit: 100_000, ...(stream ? { stream } : {}) } : null);
  const [selected, setSelected] = useState<LogLine>();
  const clientFiltered = useMemo(() => {
    const lower = needle.toLowerCase();
    return lower ? logs.lines.filter((line) => line.message.toLowerCase().includes(lower)) : logs.lines;
    // `version` changes whenever the lines, appended in place, change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [logs.version, logs.lines, needle]);
  const visible = searchOlder ? (serverSearch.data ?? []) : clientFiltered;

  return (
    <div className="panel">
      <div className="toolbar">
        <h2>Logs</h2>
        <span className="muted small">CloudWatch log group /aws/lambda/{name}</span>
        <span className="spacer" />
        <label className="inline">
          <input type="checkbox" checked={live} onChange={(event) => setLive(event.target.checked)} data-testid="live-tail" /> Live tail
        </label>
      </div>
      <div className="logs-layout">
        <ul className="stream-list" data-testid="stream-list">
          <li>
            <button className={stream === undefined ? 'link active' : 'link'} onClick={() => setStream(undefined)}>
              All streams
            </button>
          </li>
          {newestFirst.map((entry) => (
            <li key={entry.name}>
              <button className={stream === entry.name ? 'link active' : 'link'} onClick={() => setStream(entry.name)} title={entry.name}>
                <span className="mono small">
                  {entry.name.slice(entry.name.indexOf(']') + 1, entry.name.indexOf(']') + 9) || entry.name}
                </span>
                <span className="muted small"> {entry.lastEventAt ? new Date(entry.lastEventAt).toLocaleTimeString() : 'no events'}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="log-column">
          <input
            className="search"
            type="search"
            placeholder="Filter events"
            value={filter}
            onChange={(event) => setFilter(event.target.value)}
            aria-label="Filter log events"
            data-testid="log-filter"
          />
          <p className="muted small" data-testid="log-count">
            {logs.error ??
              (logs.loading
                ? 'Loading…'
                : searchOlder
                  ? `${visible.length.toLocaleString('en-US')} matching event${visible.length === 1 ? '' : 's'} in the whole log${serverSearch.loading ? ' (searching…)' : ''}`
                  : `${visible.length.toLocaleString('en-US')} of ${logs.lines.length.toLocaleString('en-US')} events`)}
          </p>
          {logs.truncated && (
            <p className="muted small" data-testid="log-truncated">
              Showing the newest 100,000 events. A filter searches the whole log; lambda-workbench logs {name} prints all of it.
            </p>
          )}
          <LogView lines={visible} version={logs.version} follow={live && !searchOlder} onSelect={setSelected} />
          {selected && (
            <div className="log-detail" data-testid="log-detail">
              <div className="toolbar">
                <span className="mono small">
                  {selected.timestamp} · {selected.stream}
                </span>
                <span className="spacer" />
                <button className="link" onClick={() => setSelected(undefined)}>
                  Close
                </button>
              </div>
              <pre>{selected.message}</pre>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
