import { useState } from 'react';
import type { FunctionDetail } from '../../../../main/contract/types';
import { useClient } from '../../hooks/client-context';
import { useSubmit } from '../../hooks/use-submit';
import { FieldError } from './GeneralForm';

/** Shows the function's file system and mounts one of the template's EFS access points (a local folder) under /mnt. */
export function FileSystemsForm({ fn, onSaved }: { fn: FunctionDetail; onSaved: () => void }) {
  const client = useClient();
  const current = fn.fileSystems[0];
  const [editing, setEditing] = useState(false);
  const [arn, setArn] = useState(current?.arn ?? '');
  const [mountPath, setMountPath] = useState(current?.localMountPath ?? '/mnt/data');
  const { run, busy, error } = useSubmit();

  const save = async (fileSystems: Array<{ arn: string; localMountPath: string }>): Promise<void> => {
    const result = await run(() => client.call('functions.updateFileSystems', { name: fn.name, fileSystems }));
    if (result) {
      setEditing(false);
      onSaved();
    }
  };

  return (
    <div className="panel" data-testid="file-systems">
      <div className="toolbar">
        <h2>File systems</h2>
        <span className="spacer" />
        {!editing && (
          <button
            className="button"
            onClick={() => setEditing(true)}
            disabled={fn.choices.accessPoints.length === 0}
            data-testid="file-systems-edit"
          >
            Edit
          </button>
        )}
      </div>
      <p className="notice">
        An Amazon EFS access point of the template is a folder beside template.yaml (efs/&lt;file system&gt;/&lt;root&gt;), shared by every
        environment of the function and kept across restarts. The access point's PosixUser is not applied.
      </p>
      {fn.choices.accessPoints.length === 0 && (
        <p className="muted">The template has no AWS::EFS::AccessPoint; add one to mount it here.</p>
      )}
      {!editing &&
        (current ? (
          <dl className="facts">
            <dt>Local mount path</dt>
            <dd className="mono">{current.localMountPath}</dd>
            <dt>Folder on this machine</dt>
            <dd className="mono">{current.hostPath}</dd>
            <dt>Access point</dt>
            <dd className="mono small">{current.arn}</dd>
          </dl>
        ) : (
          <p className="muted">No file system is mounted.</p>
        ))}
      {editing && (
        <div data-testid="file-systems-form">
          <label className="field">
            Access point
            <select value={arn} onChange={(event) => setArn(event.target.value)} data-testid="file-systems-access-point">
              <option value="">Choose an access point</option>
              {fn.choices.accessPoints.map((point) => (
                <option key={point.arn} value={point.arn}>
                  {point.logicalId} ({point.folder})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Local mount path
            <input
              value={mountPath}
              onChange={(event) => setMountPath(event.target.value)}
              aria-invalid={Boolean(error)}
              data-testid="file-systems-mount-path"
            />
            <span className="hint">/mnt/ followed by a name, such as /mnt/data.</span>
          </label>
          <FieldError message={error?.message} testId="file-systems-error" />
          <div className="actions">
            <button
              className="button primary"
              disabled={busy || arn === ''}
              onClick={() => void save([{ arn, localMountPath: mountPath }])}
              data-testid="file-systems-save"
            >
              {busy ? 'Saving…' : 'Save'}
            </button>
            {current && (
              <button className="button danger" disabled={busy} onClick={() => void save([])}>
                Remove the file system
              </button>
            )}
            <button className="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
