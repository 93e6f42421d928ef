import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { useDeliveries } from '../hooks/use-deliveries';
import { navigate } from '../hooks/use-hash-route';
import { useSubmit } from '../hooks/use-submit';

/** Shows the workspace gallery: one ready workspace per hands-on path of a Lambda course. */
export function LabsPage({ onOpened }: { onOpened: () => void }) {
  const client = useClient();
  const labs = useCall('labs.list', {});
  const open = useSubmit();
  const deliveries = useDeliveries();
  return (
    <section className="page" data-testid="labs-page">
      <div className="page-header">
        <h1>Labs</h1>
        <p className="muted">
          Each lab is a ready SAM workspace with a short guide. Opening one copies it into the workbench&apos;s data folder (your edits stay
          there) and switches the console to it; everything runs offline.
        </p>
      </div>
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
                onClick={async () => {
                  const opened = await open.run(() => client.call('labs.open', { id: lab.id }));
                  if (opened) {
                    deliveries.reset();
                    onOpened();
                    navigate({ page: 'canvas' });
                  }
                }}
              >
                Open lab
              </button>
            </div>
          </div>
        ))}
      </div>
    </section>
  );
}
