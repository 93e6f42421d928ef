import { useState } from 'react';
import type { FunctionDetail } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';
import { useSubmit } from '../hooks/use-submit';
import { formatBytes } from './format';
import { FieldError } from './config/GeneralForm';

const MAX_LAYERS = 5;

/** Lists the function's layers in merge order (later layers overwrite earlier ones in /opt), and edits them. */
export function LayersPanel({ fn, onSaved }: { fn: FunctionDetail; onSaved: () => void }) {
  const [editing, setEditing] = useState<string[] | null>(null);
  if (editing) {
    const done = (saved: boolean): void => {
      setEditing(null);
      if (saved) onSaved();
    };
    return <LayersForm fn={fn} initial={editing} onDone={done} />;
  }
  return (
    <div className="panel" data-testid="layers-panel">
      <div className="toolbar">
        <h2>Layers ({fn.layers.length})</h2>
        <span className="spacer" />
        {fn.packageType === 'Zip' && (
          <button className="button" onClick={() => setEditing(fn.layers.map((layer) => layer.arn))} data-testid="layers-edit">
            Edit
          </button>
        )}
      </div>
      {fn.layers.length === 0 ? (
        <p className="muted">No layers. Layers are merged in order into /opt, as on Lambda.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Merge order</th>
              <th>Name</th>
              <th>Version</th>
              <th>Size (.zip)</th>
              <th>Version ARN</th>
            </tr>
          </thead>
          <tbody>
            {fn.layers.map((layer) => (
              <tr key={layer.order}>
                <td>{layer.order}</td>
                <td>{layer.name}</td>
                <td>{layer.version ?? '–'}</td>
                <td>{layer.sizeBytes === null ? 'not in this workspace' : formatBytes(layer.sizeBytes)}</td>
                <td className="mono small">{layer.arn}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function LayersForm({ fn, initial, onDone }: { fn: FunctionDetail; initial: string[]; onDone: (saved: boolean) => void }) {
  const client = useClient();
  const [layers, setLayers] = useState(initial);
  const [choice, setChoice] = useState('');
  const { run, busy, error } = useSubmit();
  const available = fn.choices.layers.filter((layer) => !layers.includes(layer.arn));
  const nameOf = (arn: string): string => fn.choices.layers.find((layer) => layer.arn === arn)?.name ?? arn;
  const move = (index: number, offset: number): void => {
    const next = [...layers];
    const [item] = next.splice(index, 1);
    next.splice(index + offset, 0, item!);
    setLayers(next);
  };
  const save = async (): Promise<void> => {
    const result = await run(() => client.call('functions.updateLayers', { name: fn.name, layers }));
    if (result) onDone(true);
  };
  return (
    <div className="panel" data-testid="layers-form">
      <h2>Edit layers</h2>
      <p className="muted small">
        At most {MAX_LAYERS}, merged in this order: a later layer wins a path. Layers come from the template's LayerVersion resources.
      </p>
      <ol className="layer-list">
        {layers.map((arn, index) => (
          <li key={arn}>
            <span>{nameOf(arn)}</span>
            <span className="mono small muted">{arn}</span>
            <span className="spacer" />
            <button className="button" disabled={index === 0} onClick={() => move(index, -1)} aria-label={`Move ${nameOf(arn)} up`}>
              ↑
            </button>
            <button
              className="button"
              disabled={index === layers.length - 1}
              onClick={() => move(index, 1)}
              aria-label={`Move ${nameOf(arn)} down`}
            >
              ↓
            </button>
            <button className="button" onClick={() => setLayers(layers.filter((other) => other !== arn))}>
              Remove
            </button>
          </li>
        ))}
      </ol>
      <div className="actions">
        <select value={choice} onChange={(event) => setChoice(event.target.value)} data-testid="layers-choice">
          <option value="">Add a layer…</option>
          {available.map((layer) => (
            <option key={layer.arn} value={layer.arn}>
              {layer.name}:{layer.version}
              {layer.compatibleRuntimes ? ` (${layer.compatibleRuntimes.join(', ')})` : ''}
            </option>
          ))}
        </select>
        <button
          className="button"
          disabled={choice === ''}
          onClick={() => {
            setLayers([...layers, choice]);
            setChoice('');
          }}
          data-testid="layers-add"
        >
          Add
        </button>
      </div>
      {layers.length > MAX_LAYERS && <FieldError message={`${layers.length} layers: a function can use at most ${MAX_LAYERS}.`} />}
      <FieldError message={error?.message} testId="layers-error" />
      <div className="actions">
        <button className="button primary" onClick={() => void save()} disabled={busy} data-testid="layers-save">
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button className="button" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
