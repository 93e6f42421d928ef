import { useState } from 'react';
import type { FunctionDetail } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';

export function VersionsTab({ fn, onPublished }: { fn: FunctionDetail; onPublished: () => void }) {
  const client = useClient();
  const [description, setDescription] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const publish = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      const before = fn.versions.length;
      const after = await client.call('functions.publishVersion', { name: fn.name, description });
      setDescription('');
      const latest = after.versions.at(-1);
      // Lambda publishes a version only when the code or configuration changed since the last one.
      setNotice(
        after.versions.length > before
          ? `Published version ${latest?.version}.`
          : `Nothing changed since version ${latest?.version ?? ''}, so no new version was published.`,
      );
      onPublished();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel" data-testid="versions">
      <div className="toolbar">
        <h2>Versions ({fn.versions.length + 1})</h2>
        <span className="spacer" />
        <input
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          placeholder="Version description"
          aria-label="Version description"
        />
        <button className="button primary" onClick={() => void publish()} disabled={busy} data-testid="publish-version">
          {busy ? 'Publishing…' : 'Publish new version'}
        </button>
      </div>
      {notice && (
        <p className="status done" role="status" data-testid="publish-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Description</th>
            <th>Created</th>
            <th>Code SHA-256</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>$LATEST</td>
            <td>{fn.description || '–'}</td>
            <td>{new Date(fn.lastModified).toLocaleString()}</td>
            <td className="mono small">{fn.codeSha256}</td>
          </tr>
          {[...fn.versions].reverse().map((version) => (
            <tr key={version.version}>
              <td>{version.version}</td>
              <td>{version.description || '–'}</td>
              <td>{new Date(version.createdAt).toLocaleString()}</td>
              <td className="mono small">{version.codeSha256}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
