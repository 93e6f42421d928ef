import { useState } from 'react';
import type { FunctionDetail } from '../../../../main/contract/types';
import { WorkbenchCallError } from '../../api/client';
import { useClient } from '../../hooks/client-context';
import { useShortcut } from '../../hooks/use-shortcut';

type Errors = Partial<Record<'memoryMb' | 'timeoutSeconds' | 'ephemeralStorageMb' | 'description' | 'form', string>>;

/** General configuration: memory, timeout, ephemeral storage and description, written to template.yaml. */
export function GeneralForm({ fn, onSaved }: { fn: FunctionDetail; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  if (!editing) {
    return (
      <div className="panel" data-testid="general-view">
        <div className="toolbar">
          <h2>General configuration</h2>
          <span className="spacer" />
          <button className="button" onClick={() => setEditing(true)} data-testid="general-edit">
            Edit
          </button>
        </div>
        <dl className="facts columns">
          <dt>Description</dt>
          <dd>{fn.description || '–'}</dd>
          <dt>Memory</dt>
          <dd data-testid="general-memory">{fn.memoryMb} MB</dd>
          <dt>Ephemeral storage</dt>
          <dd>{fn.ephemeralStorageMb} MB</dd>
          <dt>Timeout</dt>
          <dd data-testid="general-timeout">{formatTimeout(fn.timeoutSeconds)}</dd>
          <dt>Architecture</dt>
          <dd>{fn.architecture}</dd>
          <dt>Handler</dt>
          <dd>{fn.handler ?? '–'}</dd>
        </dl>
      </div>
    );
  }
  return (
    <EditGeneral
      fn={fn}
      onDone={(saved) => {
        setEditing(false);
        if (saved) onSaved();
      }}
    />
  );
}

function EditGeneral({ fn, onDone }: { fn: FunctionDetail; onDone: (saved: boolean) => void }) {
  const client = useClient();
  const [description, setDescription] = useState(fn.description);
  const [memory, setMemory] = useState(String(fn.memoryMb));
  const [storage, setStorage] = useState(String(fn.ephemeralStorageMb));
  const [minutes, setMinutes] = useState(String(Math.floor(fn.timeoutSeconds / 60)));
  const [seconds, setSeconds] = useState(String(fn.timeoutSeconds % 60));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const save = async (): Promise<void> => {
    const local: Errors = {};
    const memoryMb = wholeNumber(memory, 'Memory', 'MB', local, 'memoryMb');
    const ephemeralStorageMb = wholeNumber(storage, 'Ephemeral storage', 'MB', local, 'ephemeralStorageMb');
    const timeoutMinutes = wholeNumber(minutes || '0', 'Timeout minutes', 'min', local, 'timeoutSeconds');
    const timeoutRest = wholeNumber(seconds || '0', 'Timeout seconds', 's', local, 'timeoutSeconds');
    // Every range is checked here too, so that all the mistakes show at once; main checks again.
    inRange(memoryMb, 128, 10_240, 'Memory', 'MB', local, 'memoryMb');
    inRange(ephemeralStorageMb, 512, 10_240, 'Ephemeral storage', 'MB', local, 'ephemeralStorageMb');
    if (!local.timeoutSeconds) inRange(timeoutMinutes * 60 + timeoutRest, 1, 900, 'Timeout', 's', local, 'timeoutSeconds');
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    try {
      await client.call('functions.updateGeneral', {
        name: fn.name,
        description,
        memoryMb,
        ephemeralStorageMb,
        timeoutSeconds: timeoutMinutes * 60 + timeoutRest,
      });
      onDone(true);
    } catch (error) {
      const field = error instanceof WorkbenchCallError ? error.field : undefined;
      const key =
        field === 'memoryMb' || field === 'timeoutSeconds' || field === 'ephemeralStorageMb' || field === 'description' ? field : 'form';
      setErrors({ [key]: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  useShortcut('s', () => void save());

  return (
    <div className="panel" data-testid="general-form">
      <h2>Edit basic settings</h2>
      <label className="field">
        Description
        <input
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          aria-invalid={Boolean(errors.description)}
          data-testid="general-description"
        />
        <FieldError message={errors.description} />
      </label>
      <label className="field">
        Memory (MB)
        <input
          inputMode="numeric"
          value={memory}
          onChange={(event) => setMemory(event.target.value)}
          aria-invalid={Boolean(errors.memoryMb)}
          data-testid="general-memory-input"
        />
        <span className="hint">128 MB to 10,240 MB, in 1 MB steps. CPU grows with memory.</span>
        <FieldError message={errors.memoryMb} testId="error-memoryMb" />
      </label>
      <label className="field">
        Ephemeral storage (MB)
        <input
          inputMode="numeric"
          value={storage}
          onChange={(event) => setStorage(event.target.value)}
          aria-invalid={Boolean(errors.ephemeralStorageMb)}
          data-testid="general-storage-input"
        />
        <span className="hint">Size of /tmp: 512 MB to 10,240 MB.</span>
        <FieldError message={errors.ephemeralStorageMb} testId="error-ephemeralStorageMb" />
      </label>
      <fieldset className="field">
        <legend>Timeout</legend>
        <div className="inline-inputs">
          <input
            inputMode="numeric"
            value={minutes}
            onChange={(event) => setMinutes(event.target.value)}
            aria-label="Timeout minutes"
            aria-invalid={Boolean(errors.timeoutSeconds)}
            data-testid="timeout-min"
          />
          <span>min</span>
          <input
            inputMode="numeric"
            value={seconds}
            onChange={(event) => setSeconds(event.target.value)}
            aria-label="Timeout seconds"
            aria-invalid={Boolean(errors.timeoutSeconds)}
            data-testid="timeout-sec"
          />
          <span>sec</span>
        </div>
        <span className="hint">1 second to 15 minutes.</span>
        <FieldError message={errors.timeoutSeconds} testId="error-timeoutSeconds" />
      </fieldset>
      <FieldError message={errors.form} />
      <div className="actions">
        <button className="button primary" onClick={() => void save()} disabled={busy} data-testid="general-save">
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button className="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function inRange(value: number, min: number, max: number, label: string, unit: string, errors: Errors, field: keyof Errors): void {
  if (Number.isNaN(value) || errors[field]) return;
  if (value < min) errors[field] = `${label} ${value} is under the ${min} ${unit} minimum (allowed: ${min} to ${max} ${unit}).`;
  else if (value > max) errors[field] = `${label} ${value} is over the ${max} ${unit} maximum (allowed: ${min} to ${max} ${unit}).`;
}

function wholeNumber(text: string, label: string, unit: string, errors: Errors, field: keyof Errors): number {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    errors[field] = `${label}: “${text}” is not a whole number of ${unit}.`;
    return Number.NaN;
  }
  return Number(trimmed);
}

export function FieldError({ message, testId }: { message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <span className="error-text" role="alert" data-testid={testId}>
      {message}
    </span>
  );
}

export function formatTimeout(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes > 0 ? `${minutes} min ${rest} sec` : `${rest} sec`;
}
