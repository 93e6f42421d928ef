import { useState } from 'react';
import type { FunctionDetail } from '../../../../main/contract/types';
import { useClient } from '../../hooks/client-context';
import { useSubmit } from '../../hooks/use-submit';
import { FieldError } from './GeneralForm';

/** Shows the function's code signing configuration and its last check, and picks another from the template. */
export function CodeSigningForm({ fn, onSaved }: { fn: FunctionDetail; onSaved: () => void }) {
  const client = useClient();
  const [choice, setChoice] = useState(fn.codeSigning?.configArn ?? '');
  const { run, busy, error } = useSubmit();
  const signing = fn.codeSigning;

  const save = async (): Promise<void> => {
    const result = await run(() => client.call('functions.setCodeSigning', { name: fn.name, configArn: choice === '' ? null : choice }));
    if (result) onSaved();
  };

  return (
    <div className="panel" data-testid="code-signing">
      <h2>Code signing</h2>
      <p className="notice">
        A configuration is checked each time the code is deployed: Enforce refuses an unsigned, altered or expired .zip, Warn runs it and
        logs a warning. Sign a .zip with lambda-workbench sign.
      </p>
      {signing ? (
        <dl className="facts">
          <dt>Configuration</dt>
          <dd className="mono small">{signing.configArn}</dd>
          <dt>Untrusted artifact policy</dt>
          <dd data-testid="code-signing-policy">{signing.policy}</dd>
          <dt>Allowed publishers</dt>
          <dd className="mono small">{signing.allowedPublishers.join(', ')}</dd>
          <dt>Last check</dt>
          <dd data-testid="code-signing-last-check">
            {signing.lastCheck
              ? `${new Date(signing.lastCheck.checkedAt).toLocaleString()}: ${signing.lastCheck.trusted ? 'trusted' : 'not trusted'}. ${signing.lastCheck.message}`
              : 'Not checked yet: the check runs when the code is deployed (at the next invocation).'}
          </dd>
        </dl>
      ) : (
        <p className="muted">No code signing configuration.</p>
      )}
      <div className="actions">
        <select value={choice} onChange={(event) => setChoice(event.target.value)} data-testid="code-signing-choice">
          <option value="">None</option>
          {fn.choices.codeSigningConfigs.map((config) => (
            <option key={config.arn} value={config.arn}>
              {config.logicalId} ({config.policy}){config.description ? `: ${config.description}` : ''}
            </option>
          ))}
        </select>
        <button
          className="button primary"
          onClick={() => void save()}
          disabled={busy || choice === (signing?.configArn ?? '')}
          data-testid="code-signing-save"
        >
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      <FieldError message={error?.message} testId="code-signing-error" />
    </div>
  );
}
