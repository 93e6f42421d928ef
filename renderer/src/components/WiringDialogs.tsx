import { useState, type FormEvent, type ReactNode } from 'react';
import type { CanvasNode, SourcesOverview, TriggerKind } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';
import { useSubmit } from '../hooks/use-submit';

export const TRIGGER_KINDS: Array<{ kind: TriggerKind; title: string; hint: string }> = [
  { kind: 'S3', title: 'S3', hint: 'An object lands in a bucket' },
  { kind: 'SQS', title: 'SQS', hint: 'Batches of messages from a queue' },
  { kind: 'SNS', title: 'SNS', hint: 'Messages published to a topic' },
  { kind: 'EventBridgeRule', title: 'EventBridge rule', hint: 'Events that match a pattern' },
  { kind: 'Schedule', title: 'Schedule', hint: 'rate(...) or cron(...), in UTC' },
  { kind: 'HttpApi', title: 'HTTP API', hint: 'A route of sam local start-api' },
  { kind: 'FunctionUrl', title: 'Function URL', hint: 'An HTTPS endpoint of its own' },
];

function Dialog({ title, children, onClose }: { title: string; children: ReactNode; onClose: () => void }) {
  return (
    <div className="dialog-backdrop" onKeyDown={(event) => event.key === 'Escape' && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-label={title}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Shows the error of the last attempt, and the dialog's submit and Cancel buttons. */
function DialogFooter({
  error,
  busy,
  label,
  testId,
  onCancel,
}: {
  error: string | undefined;
  busy: boolean;
  label: string;
  testId: string;
  onCancel: () => void;
}) {
  return (
    <>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button className="button primary" type="submit" disabled={busy} data-testid={testId}>
          {label}
        </button>
        <button className="button" type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

const CONDITION_NAMES = {
  OnSuccess: 'on-success destination',
  OnFailure: 'on-failure destination',
  DeadLetterQueue: 'dead-letter queue',
} as const;

/** Source labels of the triggers that read from a resource of the template. */
const SOURCE_LABELS: Partial<Record<TriggerKind, string>> = { S3: 'Bucket', SQS: 'Queue', SNS: 'Topic' };

type SourceChoice = { existing: string; created: string };

/** Picks an existing bucket, queue or topic, or names a new one that is added to the template. */
function SourcePicker({
  label,
  names,
  value,
  onChange,
  invalid,
}: {
  label: string;
  names: string[];
  value: SourceChoice;
  onChange: (value: SourceChoice) => void;
  invalid: boolean;
}) {
  return (
    <fieldset className="field">
      <legend>{label}</legend>
      <select value={value.existing} onChange={(event) => onChange({ ...value, existing: event.target.value })} aria-label={label}>
        {names.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
        <option value="">New {label.toLowerCase()}…</option>
      </select>
      {value.existing === '' && (
        <input
          value={value.created}
          onChange={(event) => onChange({ ...value, created: event.target.value })}
          placeholder="Logical id, such as UploadsBucket"
          aria-label={`New ${label.toLowerCase()} name`}
          aria-invalid={invalid}
        />
      )}
    </fieldset>
  );
}

/** Asks for a trigger's settings, then writes it into the function's Events (or FunctionUrlConfig). */
export function TriggerDialog({
  functionName,
  kind,
  overview,
  onClose,
}: {
  functionName: string;
  kind: TriggerKind;
  overview: SourcesOverview;
  onClose: (added: boolean) => void;
}) {
  const client = useClient();
  const submit = useSubmit();
  const sources: Partial<Record<TriggerKind, string[]>> = {
    S3: overview.buckets.map((bucket) => bucket.logicalId),
    SQS: overview.queues.map((queue) => queue.logicalId).filter(Boolean),
    SNS: overview.topics.map((topic) => topic.logicalId).filter(Boolean),
  };
  const names = sources[kind] ?? [];
  const [source, setSource] = useState<SourceChoice>({ existing: names[0] ?? '', created: '' });
  const [options, setOptions] = useState<Record<string, string | number | boolean>>(
    kind === 'SQS'
      ? { batchSize: 10, reportBatchItemFailures: false }
      : kind === 'EventBridgeRule'
        ? { bus: 'default', pattern: '{\n  "source": ["workshop.orders"]\n}' }
        : kind === 'Schedule'
          ? { expression: 'rate(1 minute)' }
          : kind === 'HttpApi'
            ? { method: 'GET', path: '/hello' }
            : kind === 'FunctionUrl'
              ? { authType: 'NONE' }
              : { prefix: '', suffix: '' },
  );
  const set = (key: string, value: string | number | boolean): void => setOptions((current) => ({ ...current, [key]: value }));
  const invalid = (field: string): boolean => submit.error?.field === field;
  const title = TRIGGER_KINDS.find((trigger) => trigger.kind === kind)?.title ?? kind;

  const onSubmit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const picked = sources[kind] !== undefined;
    const added = await submit.run(() =>
      client.call('wiring.addTrigger', {
        functionName,
        kind,
        source: picked && source.existing ? source.existing : null,
        newSourceName: picked && !source.existing ? source.created.trim() : null,
        options,
      }),
    );
    if (added) onClose(true);
  };

  const text = (key: string, label: string, hint?: string) => (
    <label className="field">
      {label}
      <input value={String(options[key] ?? '')} onChange={(event) => set(key, event.target.value)} aria-invalid={invalid(key)} />
      {hint && <span className="hint">{hint}</span>}
    </label>
  );

  return (
    <Dialog title={`Add ${title} trigger to ${functionName}`} onClose={() => onClose(false)}>
      <form onSubmit={(event) => void onSubmit(event)} data-testid="trigger-dialog">
        {SOURCE_LABELS[kind] && (
          <SourcePicker
            label={SOURCE_LABELS[kind]}
            names={names}
            value={source}
            onChange={setSource}
            invalid={invalid('newSourceName') || invalid('source')}
          />
        )}
        {kind === 'S3' && (
          <>
            {text('prefix', 'Prefix', 'Only keys that start with this, such as uploads/')}
            {text('suffix', 'Suffix', 'Only keys that end with this, such as .jpg')}
          </>
        )}
        {kind === 'SQS' && (
          <>
            <label className="field">
              Batch size
              <input
                type="number"
                min={1}
                max={10}
                value={Number(options.batchSize)}
                onChange={(event) => set('batchSize', Number(event.target.value))}
                aria-invalid={invalid('batchSize')}
              />
              <span className="hint">1 to 10 messages per invocation.</span>
            </label>
            <label className="inline-inputs">
              <input
                type="checkbox"
                checked={options.reportBatchItemFailures === true}
                onChange={(event) => set('reportBatchItemFailures', event.target.checked)}
              />
              Report batch item failures (only failed messages return to the queue)
            </label>
          </>
        )}
        {kind === 'EventBridgeRule' && (
          <>
            <label className="field">
              Event bus
              <select value={String(options.bus)} onChange={(event) => set('bus', event.target.value)}>
                {overview.buses.map((bus) => (
                  <option key={bus.name} value={bus.name}>
                    {bus.name}
                  </option>
                ))}
                {!overview.buses.some((bus) => bus.name === 'default') && <option value="default">default</option>}
              </select>
            </label>
            <label className="field">
              Event pattern
              <textarea
                rows={5}
                className="mono"
                value={String(options.pattern)}
                onChange={(event) => set('pattern', event.target.value)}
                aria-invalid={invalid('pattern')}
              />
            </label>
          </>
        )}
        {kind === 'Schedule' && text('expression', 'Schedule expression', 'rate(5 minutes), or cron(0 12 * * ? *) with six fields, in UTC')}
        {kind === 'HttpApi' && (
          <>
            <label className="field">
              Method
              <select value={String(options.method)} onChange={(event) => set('method', event.target.value)}>
                {['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'].map((method) => (
                  <option key={method}>{method}</option>
                ))}
              </select>
            </label>
            {text('path', 'Path', 'Such as /orders/{id}')}
          </>
        )}
        {kind === 'FunctionUrl' && (
          <label className="field">
            Auth type
            <select value={String(options.authType)} onChange={(event) => set('authType', event.target.value)}>
              <option value="NONE">NONE: anyone who reaches the address</option>
              <option value="AWS_IAM">AWS_IAM: requests signed with SigV4</option>
            </select>
          </label>
        )}
        <p className="hint">
          {kind === 'FunctionUrl'
            ? `Written into ${functionName}'s FunctionUrlConfig in template.yaml.`
            : `The trigger is written into ${functionName}'s Events in template.yaml, as SAM writes it.`}
        </p>
        <DialogFooter
          error={submit.error?.message}
          busy={submit.busy}
          label="Add"
          testId="trigger-dialog-add"
          onCancel={() => onClose(false)}
        />
      </form>
    </Dialog>
  );
}

/** Asks whether a drawn edge is the function's OnSuccess or OnFailure destination, then writes it. */
export function DestinationDialog({
  functionName,
  target,
  current,
  onClose,
}: {
  functionName: string;
  target: CanvasNode;
  /** The function's destinations now, by condition, named as the canvas labels them. */
  current: Partial<Record<'OnSuccess' | 'OnFailure' | 'DeadLetterQueue', string>>;
  onClose: (set: boolean) => void;
}) {
  const client = useClient();
  const submit = useSubmit();
  const [condition, setCondition] = useState<'OnSuccess' | 'OnFailure' | 'DeadLetterQueue'>('OnFailure');
  const deadLetterPossible = target.kind === 'queue' || target.kind === 'topic';
  const onSubmit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const done = await submit.run(() => client.call('wiring.setDestination', { functionName, condition, target: target.id }));
    if (done) onClose(true);
  };
  return (
    <Dialog title={`Destination of ${functionName}`} onClose={() => onClose(false)}>
      <form onSubmit={(event) => void onSubmit(event)} data-testid="destination-dialog">
        <p>
          Send the outcome of {functionName}&apos;s asynchronous invocations to {target.label} ({target.detail}).
        </p>
        <fieldset className="field">
          <legend>Condition</legend>
          <label className="inline-inputs">
            <input type="radio" name="condition" checked={condition === 'OnSuccess'} onChange={() => setCondition('OnSuccess')} />
            On success
          </label>
          <label className="inline-inputs">
            <input type="radio" name="condition" checked={condition === 'OnFailure'} onChange={() => setCondition('OnFailure')} />
            On failure (after the last retry, or when the event is too old)
          </label>
          {deadLetterPossible && (
            <label className="inline-inputs">
              <input
                type="radio"
                name="condition"
                checked={condition === 'DeadLetterQueue'}
                onChange={() => setCondition('DeadLetterQueue')}
              />
              Dead-letter queue (receives the failed event itself)
            </label>
          )}
        </fieldset>
        {current[condition] && (
          <p className="notice" data-testid="destination-replaces">
            This replaces the current {CONDITION_NAMES[condition]}, {current[condition]}.
          </p>
        )}
        <p className="hint">
          Written into {functionName}&apos;s {condition === 'DeadLetterQueue' ? 'DeadLetterQueue' : 'EventInvokeConfig.DestinationConfig'}{' '}
          in template.yaml.
        </p>
        <DialogFooter
          error={submit.error?.message}
          busy={submit.busy}
          label="Set destination"
          testId="destination-dialog-set"
          onCancel={() => onClose(false)}
        />
      </form>
    </Dialog>
  );
}
