import { useState } from 'react';
import { WorkbenchCallError } from '../api/client';
import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { navigate } from '../hooks/use-hash-route';

export function CreatePage() {
  const client = useClient();
  const blueprints = useCall('functions.blueprints', {});
  const [blueprint, setBlueprint] = useState('hello-node');
  const [name, setName] = useState('');
  const [error, setError] = useState<{ field: string | undefined; message: string }>();
  const [busy, setBusy] = useState(false);

  const create = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const created = await client.call('functions.create', { name, blueprint });
      navigate({ page: 'function', name: created.name, tab: 'code', section: undefined });
    } catch (failure) {
      setError({ field: failure instanceof WorkbenchCallError ? failure.field : undefined, message: (failure as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="page narrow" data-testid="create-page">
      <h1>Create function</h1>
      <p className="muted">The blueprint's code goes into a new folder beside template.yaml, and the function into the template.</p>
      <fieldset className="blueprints">
        <legend>Blueprint</legend>
        {blueprints.data?.map((option) => (
          <label key={option.id} className={`card ${blueprint === option.id ? 'selected' : ''}`} data-testid={`blueprint-${option.id}`}>
            <input
              type="radio"
              name="blueprint"
              value={option.id}
              checked={blueprint === option.id}
              onChange={() => setBlueprint(option.id)}
            />
            <strong>{option.title}</strong>
            <span className="muted small">{option.runtime}</span>
            <span className="small">{option.description}</span>
          </label>
        ))}
      </fieldset>
      <label className="field">
        Function name
        <input
          value={name}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !busy && name !== '') void create();
          }}
          placeholder="OrderHandler"
          data-testid="function-name"
          aria-invalid={error?.field === 'name'}
        />
        <span className="hint">1 to 64 letters, digits, hyphens or underscores. It also names the code folder beside template.yaml.</span>
        {error && (error.field === 'name' || error.field === undefined) && (
          <span className="error-text" role="alert" data-testid="create-error">
            {error.message}
          </span>
        )}
      </label>
      <div className="actions">
        <button className="button primary" disabled={busy || name === ''} onClick={() => void create()} data-testid="create-submit">
          {busy ? 'Creating…' : 'Create function'}
        </button>
        <a className="button" href="#/functions">
          Cancel
        </a>
      </div>
    </section>
  );
}
