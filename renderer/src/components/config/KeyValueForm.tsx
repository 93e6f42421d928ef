import { useState } from 'react';
import { WorkbenchCallError } from '../../api/client';
import { useShortcut } from '../../hooks/use-shortcut';
import { FieldError } from './GeneralForm';

interface Props {
  title: string;
  /** The error field prefix main uses for one entry, such as "variables" or "tags". */
  field: string;
  keyLabel: string;
  entries: Record<string, string>;
  /** Entries the function inherits from Globals.Function: shown, never written. */
  inherited: Record<string, string>;
  hint: string;
  save: (entries: Record<string, string>) => Promise<unknown>;
  onSaved: () => void;
  testId: string;
}

type Row = { id: number; key: string; value: string };

/** Shows key and value pairs (environment variables, tags) and edits them as a whole. */
export function KeyValueForm({ title, field, keyLabel, entries, inherited, hint, save, onSaved, testId }: Props) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [errors, setErrors] = useState<{ key?: string; message: string }>();
  const [busy, setBusy] = useState(false);
  let nextId = Math.max(0, ...(rows ?? []).map((row) => row.id)) + 1;

  const submit = async (): Promise<void> => {
    if (!rows) return;
    const result: Record<string, string> = {};
    for (const row of rows) {
      const key = row.key.trim();
      if (key === '' && row.value !== '') {
        setErrors({
          key: '',
          message: `A row has the value ${JSON.stringify(row.value)} but no ${keyLabel.toLowerCase()}; give it one or remove the row.`,
        });
        return;
      }
      if (key === '') continue;
      if (Object.hasOwn(result, key)) {
        setErrors({ key, message: `${key} is listed twice; each ${keyLabel.toLowerCase()} can appear once.` });
        return;
      }
      result[key] = row.value;
    }
    setBusy(true);
    setErrors(undefined);
    try {
      await save(result);
      setRows(null);
      onSaved();
    } catch (error) {
      const failed = error instanceof WorkbenchCallError ? error.field : undefined;
      const key = failed?.startsWith(`${field}.`) ? failed.slice(field.length + 1) : undefined;
      setErrors({ ...(key !== undefined ? { key } : {}), message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  useShortcut('s', () => void submit(), rows !== null);

  const inheritedList = Object.entries(inherited);
  const inheritedRows = inheritedList.map(([key, value]) => (
    <tr key={`inherited-${key}`} className="inherited" data-testid={`${testId}-inherited`}>
      <td className="mono">{key}</td>
      <td className="mono">
        {value} <span className="badge-muted">from Globals</span>
      </td>
    </tr>
  ));

  if (!rows) {
    const list = Object.entries(entries);
    return (
      <div className="panel" data-testid={testId}>
        <div className="toolbar">
          <h2>
            {title} ({list.length + inheritedList.length})
          </h2>
          <span className="spacer" />
          <button
            className="button"
            onClick={() => setRows(list.map(([key, value], index) => ({ id: index + 1, key, value })))}
            data-testid={`${testId}-edit`}
          >
            Edit
          </button>
        </div>
        {list.length + inheritedList.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>{keyLabel}</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {list.map(([key, value]) => (
                <tr key={key}>
                  <td className="mono">{key}</td>
                  <td className="mono">{value}</td>
                </tr>
              ))}
              {inheritedRows}
            </tbody>
          </table>
        )}
      </div>
    );
  }

  const update = (id: number, change: Partial<Row>): void => setRows(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  return (
    <div className="panel" data-testid={`${testId}-form`}>
      <h2>Edit {title.toLowerCase()}</h2>
      <p className="muted small">{hint}</p>
      {rows.map((row, index) => (
        <div className="kv-row" key={row.id}>
          <input
            value={row.key}
            placeholder={keyLabel}
            onChange={(event) => update(row.id, { key: event.target.value })}
            aria-label={`${keyLabel} ${index + 1}`}
            aria-invalid={errors?.key === row.key.trim()}
            data-testid={`${testId}-key-${index}`}
          />
          <input
            value={row.value}
            placeholder="Value"
            onChange={(event) => update(row.id, { value: event.target.value })}
            aria-label={`Value ${index + 1}`}
            data-testid={`${testId}-value-${index}`}
          />
          <button className="button" onClick={() => setRows(rows.filter((other) => other.id !== row.id))}>
            Remove
          </button>
          {errors?.key !== undefined && errors.key === row.key.trim() && <FieldError message={errors.message} testId={`${testId}-error`} />}
        </div>
      ))}
      {errors && (errors.key === undefined || !rows.some((row) => row.key.trim() === errors.key)) && (
        <FieldError message={errors.message} testId={`${testId}-error`} />
      )}
      {inheritedList.length > 0 && (
        <>
          <p className="muted small">
            From Globals.Function in template.yaml, kept there; add the same key above to override one for this function.
          </p>
          <table className="table">
            <tbody>{inheritedRows}</tbody>
          </table>
        </>
      )}
      <div className="actions">
        <button className="button" onClick={() => setRows([...rows, { id: nextId++, key: '', value: '' }])} data-testid={`${testId}-add`}>
          Add
        </button>
        <span className="spacer" />
        <button className="button primary" onClick={() => void submit()} disabled={busy} data-testid={`${testId}-save`}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button
          className="button"
          onClick={() => {
            setRows(null);
            setErrors(undefined);
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
