import { useEffect, useState } from 'react';
import { useClient } from './hooks/client-context';
import { useCall } from './hooks/use-call';
import { useHashRoute } from './hooks/use-hash-route';
import { Markdown } from './components/Markdown';
import { CanvasPage } from './pages/CanvasPage';
import { CreatePage } from './pages/CreatePage';
import { FunctionPage } from './pages/FunctionPage';
import { FunctionsPage } from './pages/FunctionsPage';
import { LabsPage } from './pages/LabsPage';
import { SourcesPage } from './pages/SourcesPage';

export function App() {
  const route = useHashRoute();
  const workspace = useCall('workspace.get', {}, ['workspace.changed', 'workspace.invalid']);
  const progress = useProgress();
  const connected = useConnected();
  const info = workspace.data;
  const guide = useCall('workspace.guide', {}, ['workspace.changed']);
  const [guideOpen, setGuideOpen] = useState(false);
  const markdown = guide.data?.markdown ?? null;

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/functions">
          Lambda Workbench
        </a>
        <nav className="topnav" aria-label="Pages">
          {NAV.map((item) => (
            <a key={item.page} href={`#/${item.page}`} aria-current={current(route.page) === item.page ? 'page' : undefined}>
              {item.title}
            </a>
          ))}
        </nav>
        {info && (
          <span className="workspace" title={info.templatePath} data-testid="workspace-name">
            {info.name} · {info.region}
          </span>
        )}
        {info?.lambdaApi && (
          <span
            className="workspace mono small"
            title="The Lambda API: give it to the AWS CLI or an SDK as --endpoint-url"
            data-testid="lambda-api"
          >
            API {info.lambdaApi}
          </span>
        )}
        {info && info.timeScale !== 1 && (
          <span className="badge warning" data-testid="time-scale">
            Time scale {info.timeScale}×: retries and schedules run faster than on Lambda
          </span>
        )}
        {progress && (
          <span className="progress" role="status">
            {progress}
          </span>
        )}
        {markdown !== null && (
          <button
            className="guide-toggle"
            onClick={() => setGuideOpen((open) => !open)}
            aria-expanded={guideOpen}
            data-testid="guide-toggle"
          >
            Guide
          </button>
        )}
      </header>
      {info?.invalidTemplate && <TemplateProblems message={info.invalidTemplate} />}
      {!connected && (
        <div className="banner error" role="alert" data-testid="disconnected">
          The console lost its connection to the workbench and is reconnecting. If the workbench was stopped, start it again.
        </div>
      )}
      {workspace.error && <div className="banner error">{workspace.error.message}</div>}
      <div className="workarea">
        <main>
          {route.page === 'functions' && <FunctionsPage />}
          {route.page === 'create' && <CreatePage />}
          {route.page === 'function' && <FunctionPage name={route.name} tab={route.tab} section={route.section} />}
          {route.page === 'canvas' && <CanvasPage />}
          {route.page === 'sources' && <SourcesPage />}
          {route.page === 'labs' && <LabsPage onOpened={() => setGuideOpen(true)} />}
        </main>
        {guideOpen && markdown !== null && (
          <aside className="guide" aria-label="Guide" data-testid="guide">
            <div className="toolbar">
              <h2>Guide</h2>
              <span className="spacer" />
              <button className="link" onClick={() => setGuideOpen(false)}>
                Close
              </button>
            </div>
            <Markdown source={markdown} />
          </aside>
        )}
      </div>
    </div>
  );
}

const NAV = [
  { page: 'functions', title: 'Functions' },
  { page: 'canvas', title: 'Canvas' },
  { page: 'sources', title: 'Event sources' },
  { page: 'labs', title: 'Labs' },
] as const;

/** Returns the top-level page of a route: a function's page and the create page are under Functions. */
function current(page: string): string {
  return page === 'function' || page === 'create' ? 'functions' : page;
}

/** Shows why the template on disk is invalid: its first problem, and the others on request. */
function TemplateProblems({ message }: { message: string }) {
  const problems = message
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter(Boolean);
  const [first, ...rest] = problems.length > 0 ? problems : [message];
  return (
    <div className="banner error" role="alert" data-testid="template-invalid">
      <strong>template.yaml has errors; the workbench keeps using its last valid version.</strong> {first}
      {rest.length > 0 && (
        <details>
          <summary>{rest.length} more</summary>
          <ul>
            {rest.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** Tracks the link to main: false while it is down (the workbench stopped or restarted). */
function useConnected(): boolean {
  const client = useClient();
  const [connected, setConnected] = useState(true);
  useEffect(() => client.on('connection', (payload) => setConnected(payload.connected)), [client]);
  return connected;
}

/** The latest progress message from main (image builds, container starts), cleared a few seconds later. */
function useProgress(): string | undefined {
  const client = useClient();
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = client.on('progress', (payload) => {
      setMessage(payload.message);
      clearTimeout(timer);
      timer = setTimeout(() => setMessage(undefined), 5_000);
    });
    // A container start is over once its invocation finishes.
    const stopFinished = client.on('invocation.finished', () =>
      setMessage((current) => (current?.startsWith('Starting a container') ? undefined : current)),
    );
    return () => {
      stop();
      stopFinished();
      clearTimeout(timer);
    };
  }, [client]);
  return message;
}
