import type { FunctionDetail } from '../../../main/contract/types';

export function AliasesTab({ fn }: { fn: FunctionDetail }) {
  return (
    <div className="panel" data-testid="aliases">
      <h2>Aliases ({fn.aliases.length})</h2>
      <p className="muted small">Aliases come from AutoPublishAlias in the template, or from create-alias against the workbench's API.</p>
      {fn.aliases.length === 0 ? (
        <p className="muted">No aliases.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Version</th>
              <th>Weighted routing</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {fn.aliases.map((alias) => (
              <tr key={alias.name}>
                <td>{alias.name}</td>
                <td>{alias.functionVersion}</td>
                <td>
                  {alias.weights
                    ? Object.entries(alias.weights)
                        .map(([version, weight]) => `version ${version}: ${Math.round(weight * 100)}%`)
                        .join(', ')
                    : '–'}
                </td>
                <td>{alias.description || '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
