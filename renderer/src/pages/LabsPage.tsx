import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { useDeliveries } from '../hooks/use-deliveries';
import { navigate } from '../hooks/use-hash-route';
import { useSubmit } from '../hooks/use-submit';

/** Shows the workspace gallery: one ready workspace per hands-on path of a Lambda course. */
export function LabsPage({ onOpened }: { onOpened: () => void }) {
  const client = useClient();
  const labs = useCall('labs.list', {});
  const workspace = useCall('workspace.get', {}, ['workspace.changed']);
  const open = useSubmit();
  const deliveries = useDeliveries();
  const home = workspace.data?.homeTemplate ?? null;

  const switchTo = async (action: () => Promise<unknown>, withGuide: boolean): Promise<void> => {
    const opened = await open.run(action);
    if (!opened) return;
    deliveries.reset();
    if (withGuide) onOpened();
    navigate({ page: withGuide ? 'canvas' : 'functions' });
  };
  return (
    <section className="page" data-testid="labs-page">
      <div className="page-header">
        <h1>Labs</h1>
        <p className="muted">
          Each lab is a ready SAM workspace with a short guide. Opening one copies it into the workbench&apos;s data folder (your edits stay
          there) and switches the console to it; everything runs offline.
        </p>
      </div>
      {home && (
        <p>
          <button className="button" disabled={open.busy} onClick={() => void switchTo(() => client.call('workspace.openHome', {}), false)}>
            Back to {home.split(/[\\/]/).at(-2) ?? home}
          </button>
        </p>
      )}
      {labs.error && <p className="error-text">{labs.error.message}</p>}
      {open.busy && (
        <p className="muted" role="status">
          Opening the lab: stopping this workspace&apos;s containers and starting the lab&apos;s…
        </p>
      )}
      {open.error && (
        <p className="error-text" role="alert">
          {open.error.message}
        </p>
      )}
      <div className="blueprints">
        {(labs.data ?? []).map((lab) => (
          <div className="card" key={lab.id} data-testid={`lab-${lab.id}`}>
            <strong>{lab.title}</strong>
            <span className="muted">{lab.summary}</span>
            <div className="actions">
              <button
                className="button primary"
                disabled={open.busy}
                onClick={() => void switchTo(() => client.call('labs.open', { id: lab.id }), true)}
              >
                Open lab
              </button>
              <button
                className="button"
                disabled={open.busy}
                title="Replace your working copy of this lab with the shipped one, then open it"
                onClick={() => {
                  if (!window.confirm(`Start ${lab.title} over? Your changes to its workspace are replaced by the shipped lab.`)) return;
                  void switchTo(() => client.call('labs.open', { id: lab.id, reset: true }), true);
                }}
              >
                Start over
              </button>
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
