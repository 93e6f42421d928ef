import { useState } from 'react';
import type { FunctionDetail } from '../../../../main/contract/types';
import { useClient } from '../../hooks/client-context';
import { useCall } from '../../hooks/use-call';
import { useSubmit } from '../../hooks/use-submit';
import { EndpointPanel } from '../SourcePanels';

/** Creates or deletes a function's URL, and shows its address and a curl line while the workspace runs. */
export function FunctionUrlPanel({ fn, configured }: { fn: FunctionDetail; configured: boolean }) {
  const client = useClient();
  const submit = useSubmit();
  const overview = useCall('sources.overview', {}, ['workspace.changed']);
  const [authType, setAuthType] = useState<'NONE' | 'AWS_IAM'>('AWS_IAM');
  const endpoint = overview.data?.endpoints.find((candidate) => candidate.kind === 'url' && candidate.name === fn.name);
  const iam = (fn.templateProperties.FunctionUrlConfig as { AuthType?: unknown } | undefined)?.AuthType === 'AWS_IAM';

  if (!configured) {
    return (
      <div className="inline-fields">
        <select value={authType} onChange={(event) => setAuthType(event.target.value as 'NONE' | 'AWS_IAM')} aria-label="Auth type">
          <option value="AWS_IAM">AWS_IAM: requests signed with SigV4</option>
          <option value="NONE">NONE: anyone who reaches the address</option>
        </select>
        <button
          className="button primary"
          disabled={submit.busy}
          onClick={() =>
            void submit.run(() =>
              client.call('wiring.addTrigger', {
                functionName: fn.name,
                kind: 'FunctionUrl',
                source: null,
                newSourceName: null,
                options: { authType },
              }),
            )
          }
        >
          Create function URL
        </button>
        {submit.error && <p className="error-text">{submit.error.message}</p>}
      </div>
    );
  }
  return (
    <div>
      {endpoint && overview.data ? (
        <EndpointPanel endpoint={endpoint} iam={iam} signing={overview.data.signing} />
      ) : (
        <p className="muted">The address appears once the workspace has started.</p>
      )}
      <button
        className="button danger"
        disabled={submit.busy}
        onClick={() => {
          if (!window.confirm(`Delete the function URL of ${fn.name}? Its FunctionUrlConfig is removed from template.yaml.`)) return;
          void submit.run(() => client.call('wiring.remove', { ref: { kind: 'url', functionName: fn.name } }));
        }}
      >
        Delete function URL
      </button>
      {submit.error && <p className="error-text">{submit.error.message}</p>}
    </div>
  );
}
