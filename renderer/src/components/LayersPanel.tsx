import type { FunctionDetail } from '../../../main/contract/types';
import { formatBytes } from './CodeTab';

/** Lists the function's layers in merge order: later layers overwrite earlier ones in /opt. */
export function LayersPanel({ fn }: { fn: FunctionDetail }) {
  return (
    <div className="panel" data-testid="layers-panel">
      <h2>Layers ({fn.layers.length})</h2>
      {fn.layers.length === 0 ? (
        <p className="muted">No layers. Layers listed in the function's Layers property are merged in order at /opt.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Merge order</th>
              <th>Name</th>
              <th>Version</th>
              <th>Size</th>
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
