import type { FunctionDetail } from '../../../main/contract/types';
import { AliasesTab } from '../components/AliasesTab';
import { CodeTab } from '../components/CodeTab';
import { ConfigurationTab } from '../components/ConfigurationTab';
import { ErrorBoundary } from '../components/ErrorBoundary';
import { FunctionOverview } from '../components/FunctionOverview';
import { MonitorTab } from '../components/MonitorTab';
import { TestTab } from '../components/TestTab';
import { VersionsTab } from '../components/VersionsTab';
import { useCall } from '../hooks/use-call';
import { routeHref } from '../hooks/use-hash-route';

const TABS = [
  { id: 'code', label: 'Code' },
  { id: 'test', label: 'Test' },
  { id: 'monitor', label: 'Monitor' },
  { id: 'configuration', label: 'Configuration' },
  { id: 'aliases', label: 'Aliases' },
  { id: 'versions', label: 'Versions' },
] as const;

export function FunctionPage({ name, tab, section }: { name: string; tab: string; section: string | undefined }) {
  const detail = useCall('functions.get', { name }, ['workspace.changed']);
  const fn = detail.data?.name === name ? detail.data : undefined;

  if (detail.error && !fn) {
    return (
      <section className="page">
        <p className="error-text" role="alert">
          {detail.error.message}
        </p>
        <a href="#/functions">Back to functions</a>
      </section>
    );
  }
  if (!fn) return <p className="page muted">Loading {name}…</p>;

  return (
    <section className="page" data-testid="function-page">
      <nav className="breadcrumbs">
        <a href="#/functions">Functions</a> › <span>{fn.name}</span>
      </nav>
      <div className="page-header">
        <h1>{fn.name}</h1>
        <span className={`state ${fn.state.toLowerCase()}`} title={fn.stateReason} data-testid="function-state">
          {fn.state}
        </span>
      </div>
      {fn.stateReason && (
        <p className="banner error" role="alert">
          {fn.stateReason}
        </p>
      )}
      <div className="overview">
        <FunctionOverview fn={fn} />
        <OverviewFacts fn={fn} />
      </div>
      <nav className="tabs" role="tablist">
        {TABS.map((entry) => (
          <a
            key={entry.id}
            role="tab"
            aria-selected={tab === entry.id}
            className={tab === entry.id ? 'tab active' : 'tab'}
            href={routeHref({ page: 'function', name: fn.name, tab: entry.id, section: undefined })}
            data-testid={`tab-${entry.id}`}
          >
            {entry.label}
          </a>
        ))}
      </nav>
      <div className="tab-panel" role="tabpanel">
        <ErrorBoundary key={tab}>
          {tab === 'code' && <CodeTab fn={fn} onChanged={detail.reload} />}
          {tab === 'test' && <TestTab fn={fn} />}
          {tab === 'monitor' && <MonitorTab fn={fn} />}
          {tab === 'configuration' && <ConfigurationTab fn={fn} section={section} onSaved={detail.reload} />}
          {tab === 'aliases' && <AliasesTab fn={fn} />}
          {tab === 'versions' && <VersionsTab fn={fn} onPublished={detail.reload} />}
        </ErrorBoundary>
      </div>
    </section>
  );
}

function OverviewFacts({ fn }: { fn: FunctionDetail }) {
  return (
    <dl className="facts">
      <dt>Description</dt>
      <dd>{fn.description || '–'}</dd>
      <dt>Last modified</dt>
      <dd>{new Date(fn.lastModified).toLocaleString()}</dd>
      <dt>Function ARN</dt>
      <dd className="mono" data-testid="function-arn">
        {fn.arn}
      </dd>
      <dt>Runtime</dt>
      <dd>
        {fn.runtime} · {fn.architecture}
      </dd>
      <dt>Package</dt>
      <dd>
        {fn.packageType} · {fn.codeKind === 'folder' ? fn.codeFolder : fn.codeKind}
      </dd>
    </dl>
  );
}
