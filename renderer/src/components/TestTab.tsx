import { useEffect, useRef, useState } from 'react';
import type { FunctionDetail, InvokeOutcome } from '../../../main/contract/types';
import { WorkbenchCallError } from '../api/client';
import { eventDraft, keepEventDraft } from '../editor/drafts';
import { LazyCodeEditor as CodeEditor } from '../editor/LazyCodeEditor';
import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { useShortcut } from '../hooks/use-shortcut';

const EMPTY_EVENT = '{\n  "key1": "value1",\n  "key2": "value2",\n  "key3": "value3"\n}\n';

type Outcome = { kind: 'result'; outcome: InvokeOutcome } | { kind: 'failure'; message: string } | { kind: 'running'; since: number };

/** Renders the Test tab: saved and template events, Invoke, and the result as the console shows it. */
export function TestTab({ fn }: { fn: FunctionDetail }) {
  const client = useClient();
  const templates = useCall('events.templates', {});
  const saved = useCall('events.list', { name: fn.name });
  const draft = eventDraft(fn.name);
  const [eventName, setEventName] = useState(draft?.eventName ?? '');
  const [json, setJson] = useState(draft?.json ?? EMPTY_EVENT);
  const [selection, setSelection] = useState(draft?.selection ?? 'new:');
  const touched = useRef(draft?.touched ?? false);

  // The event being written outlives this component: switching tabs keeps it.
  useEffect(() => keepEventDraft(fn.name, { selection, eventName, json, touched: touched.current }), [fn.name, selection, eventName, json]);
  const [formError, setFormError] = useState<{ field: string | undefined; message: string }>();
  const [notice, setNotice] = useState<string>();
  const [result, setResult] = useState<Outcome>();
  const [qualifier, setQualifier] = useState('$LATEST');

  // The first saved event opens by default, as in the console, until the user picks another.
  useEffect(() => {
    const first = saved.data?.[0];
    if (!touched.current && first) {
      touched.current = true;
      setSelection(`saved:${first.name}`);
      setEventName(first.name);
      setJson(first.json);
    }
  }, [saved.data]);

  const choose = (value: string): void => {
    touched.current = true;
    setSelection(value);
    setFormError(undefined);
    const [kind, id] = [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)];
    if (kind === 'saved') {
      const event = saved.data?.find((entry) => entry.name === id);
      if (event) {
        setEventName(event.name);
        setJson(event.json);
      }
    } else if (kind === 'template') {
      const template = templates.data?.find((entry) => entry.id === id);
      if (template) {
        setEventName(template.id);
        setJson(template.json);
      }
    } else {
      setEventName('');
      setJson(EMPTY_EVENT);
    }
  };

  const invoke = async (): Promise<void> => {
    if (result?.kind === 'running') return;
    setFormError(undefined);
    setResult({ kind: 'running', since: Date.now() });
    try {
      const target = qualifier === '$LATEST' ? {} : { qualifier };
      setResult({ kind: 'result', outcome: await client.call('invoke.run', { name: fn.name, payload: json, ...target }) });
    } catch (error) {
      if (error instanceof WorkbenchCallError && error.field === 'payload') {
        setFormError({ field: 'json', message: error.message });
        setResult(undefined);
      } else {
        setResult({ kind: 'failure', message: (error as Error).message });
      }
    }
  };

  const save = async (): Promise<void> => {
    setFormError(undefined);
    setNotice(undefined);
    const target = eventName.trim();
    const existing = saved.data?.some((event) => event.name === target);
    if (existing && selection !== `saved:${target}` && !window.confirm(`A saved event named ${target} exists. Replace it?`)) return;
    try {
      touched.current = true;
      await client.call('events.save', { name: fn.name, eventName: eventName.trim(), json });
      saved.reload();
      setSelection(`saved:${eventName.trim()}`);
      setNotice(`Saved ${eventName.trim()} to events/${fn.name}/${eventName.trim()}.json beside template.yaml.`);
    } catch (error) {
      setFormError({ field: error instanceof WorkbenchCallError ? error.field : undefined, message: (error as Error).message });
    }
  };

  const remove = async (): Promise<void> => {
    const name = selection.slice('saved:'.length);
    await client.call('events.delete', { name: fn.name, eventName: name });
    saved.reload();
    choose('new:');
    setNotice(`Deleted ${name}.`);
  };

  const format = (): void => {
    try {
      setJson(`${JSON.stringify(JSON.parse(json), null, 2)}\n`);
      setFormError(undefined);
    } catch (error) {
      setFormError({ field: 'json', message: `The event is not valid JSON: ${(error as Error).message}` });
    }
  };

  useShortcut('Enter', () => void invoke());
  useShortcut('s', () => void save());

  return (
    <div className="test-tab">
      {result && <ResultPanel result={result} />}
      <div className="panel">
        <div className="toolbar">
          <h2>Test event</h2>
          <span className="spacer" />
          <button className="button" onClick={format}>
            Format JSON
          </button>
          <button className="button" onClick={() => void save()} title="Ctrl/Cmd+S" data-testid="event-save">
            Save
          </button>
          <button
            className="button primary"
            onClick={() => void invoke()}
            disabled={result?.kind === 'running'}
            title="Ctrl/Cmd+Enter"
            data-testid="invoke"
          >
            Test
          </button>
        </div>
        <div className="form-row">
          <label className="field">
            Event
            <select value={selection} onChange={(event) => choose(event.target.value)} data-testid="event-select">
              <option value="new:">New event</option>
              {saved.data && saved.data.length > 0 && (
                <optgroup label="Saved events">
                  {saved.data.map((event) => (
                    <option key={event.name} value={`saved:${event.name}`}>
                      {event.name}
                    </option>
                  ))}
                </optgroup>
              )}
              <optgroup label="Templates">
                {templates.data?.map((template) => (
                  <option key={template.id} value={`template:${template.id}`}>
                    {template.title}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <label className="field">
            Version or alias
            <select value={qualifier} onChange={(event) => setQualifier(event.target.value)} data-testid="invoke-qualifier">
              <option value="$LATEST">$LATEST</option>
              {fn.versions.map((version) => (
                <option key={version.version} value={version.version}>
                  Version {version.version}
                </option>
              ))}
              {fn.aliases.map((alias) => (
                <option key={alias.name} value={alias.name}>
                  Alias {alias.name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Event name
            <input
              value={eventName}
              onChange={(event) => setEventName(event.target.value)}
              aria-invalid={formError?.field === 'eventName'}
              data-testid="event-name"
            />
            {formError?.field === 'eventName' && (
              <span className="error-text" role="alert">
                {formError.message}
              </span>
            )}
          </label>
          {selection.startsWith('saved:') && (
            <button className="button danger" onClick={() => void remove()}>
              Delete saved event
            </button>
          )}
        </div>
        {notice && <p className="muted small">{notice}</p>}
        <p className="muted small">
          Saved events are files in events/{fn.name}/ beside template.yaml, so they can be committed and shared.
        </p>
        <div className="event-editor">
          <CodeEditor path={`events/${fn.name}/editor.json`} language="json" value={json} onChange={setJson} testId="event-editor" />
        </div>
        {formError && formError.field !== 'eventName' && (
          <p className="error-text" role="alert" data-testid="event-error">
            {formError.message}
          </p>
        )}
      </div>
    </div>
  );
}

function ResultPanel({ result }: { result: Outcome }) {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (result.kind !== 'running') return;
    const timer = setInterval(() => setElapsed(Math.round((Date.now() - result.since) / 1000)), 500);
    return () => clearInterval(timer);
  }, [result]);

  if (result.kind === 'running') {
    return (
      <div className="panel result running" role="status" data-testid="invoke-running">
        Executing function… {elapsed > 1 ? `${elapsed} s (a first invocation starts a container)` : ''}
      </div>
    );
  }
  if (result.kind === 'failure') {
    return (
      <div className="panel result failed" role="alert" data-testid="invoke-result">
        <h3>Executing function: failed</h3>
        <p>{result.message}</p>
      </div>
    );
  }
  const { outcome } = result;
  const succeeded = outcome.status === 'success';
  return (
    <div className={`panel result ${succeeded ? 'succeeded' : 'failed'}`} data-testid="invoke-result">
      <h3>
        Executing function:{' '}
        {succeeded ? 'succeeded' : outcome.status === 'timeout' ? 'failed (timed out)' : `failed (${outcome.functionError ?? 'error'})`}
      </h3>
      <h4>Response</h4>
      <pre className="response" data-testid="invoke-response">
        {pretty(outcome.response)}
      </pre>
      <h4>Summary</h4>
      <dl className="summary" data-testid="invoke-summary">
        <dt>Request ID</dt>
        <dd className="mono">{outcome.requestId}</dd>
        <dt>Executed version</dt>
        <dd>{outcome.executedVersion}</dd>
        <dt>Init duration</dt>
        <dd>{outcome.initDurationMs === null ? '–' : `${outcome.initDurationMs.toFixed(2)} ms`}</dd>
        <dt>Duration</dt>
        <dd>{outcome.durationMs.toFixed(2)} ms</dd>
        <dt>Billed duration</dt>
        <dd>{outcome.billedDurationMs} ms</dd>
        <dt>Resources configured</dt>
        <dd>{outcome.memorySizeMb} MB</dd>
        <dt>Max memory used</dt>
        <dd>{outcome.maxMemoryUsedMb} MB</dd>
      </dl>
      <h4>Function logs</h4>
      <pre className="log-output" data-testid="invoke-log">
        {outcome.log}
      </pre>
    </div>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
