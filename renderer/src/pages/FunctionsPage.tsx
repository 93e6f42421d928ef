import { useMemo, useState } from 'react';
import type { FunctionSummary } from '../../../main/contract/types';
import { useCall } from '../hooks/use-call';
import { routeHref } from '../hooks/use-hash-route';

type SortKey = 'name' | 'runtime' | 'packageType' | 'memoryMb' | 'timeoutSeconds' | 'lastModified' | 'state';

const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'name', label: 'Function name' },
  { key: 'runtime', label: 'Runtime' },
  { key: 'packageType', label: 'Package type' },
  { key: 'memoryMb', label: 'Memory (MB)' },
  { key: 'timeoutSeconds', label: 'Timeout (s)' },
  { key: 'lastModified', label: 'Last modified' },
  { key: 'state', label: 'State' },
];

export function FunctionsPage() {
  const { data, error, loading } = useCall('functions.list', {}, ['workspace.changed']);
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'name', ascending: true });

  const rows = useMemo(() => {
    const query = search.trim().toLowerCase();
    const filtered = (data ?? []).filter(
      (fn) =>
        !query ||
        fn.name.toLowerCase().includes(query) ||
        fn.runtime.toLowerCase().includes(query) ||
        fn.description.toLowerCase().includes(query),
    );
    const direction = sort.ascending ? 1 : -1;
    return [...filtered].sort((a, b) => compare(a[sort.key], b[sort.key]) * direction);
  }, [data, search, sort]);

  return (
    <section className="page" data-testid="functions-page">
      <div className="page-header">
        <h1>Functions ({data?.length ?? 0})</h1>
        <a className="button primary" href="#/create" data-testid="create-function">
          Create function
        </a>
      </div>
      <input
        className="search"
        type="search"
        placeholder="Filter by name, runtime or description"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        aria-label="Filter functions"
      />
      {error && <p className="error-text">{error.message}</p>}
      {loading && !data && <p className="muted">Loading…</p>}
      <table className="table" data-testid="functions-table">
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th key={column.key} aria-sort={ariaSort(sort, column.key)}>
                <button
                  className="link"
                  onClick={() => setSort({ key: column.key, ascending: sort.key === column.key ? !sort.ascending : true })}
                >
                  {column.label}
                  {sortMark(sort, column.key)}
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((fn) => (
            <Row key={fn.name} fn={fn} />
          ))}
        </tbody>
      </table>
      {data && rows.length === 0 && <p className="muted">No function matches “{search}”.</p>}
    </section>
  );
}

function Row({ fn }: { fn: FunctionSummary }) {
  return (
    <tr data-testid={`function-row-${fn.name}`}>
      <td>
        <a href={routeHref({ page: 'function', name: fn.name, tab: 'code', section: undefined })}>{fn.name}</a>
        {fn.description && <div className="muted small">{fn.description}</div>}
      </td>
      <td>{fn.runtime}</td>
      <td>{fn.packageType}</td>
      <td>{fn.memoryMb}</td>
      <td>{fn.timeoutSeconds}</td>
      <td>{new Date(fn.lastModified).toLocaleString()}</td>
      <td>
        <span className={`state ${fn.state.toLowerCase()}`} title={fn.stateReason}>
          {fn.state}
        </span>
      </td>
    </tr>
  );
}

type Sort = { key: SortKey; ascending: boolean };

function ariaSort(sort: Sort, key: SortKey): 'ascending' | 'descending' | 'none' {
  if (sort.key !== key) return 'none';
  return sort.ascending ? 'ascending' : 'descending';
}

function sortMark(sort: Sort, key: SortKey): string {
  if (sort.key !== key) return '';
  return sort.ascending ? ' ▲' : ' ▼';
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}
