import { BucketPanel, BusPanel, EndpointPanel, QueuePanel, RulePanel, TopicPanel } from '../components/SourcePanels';
import { useCall } from '../hooks/use-call';

/** Shows every local event source of the workspace on one page, to look inside and put, send or publish. */
export function SourcesPage() {
  const overview = useCall('sources.overview', {}, ['workspace.changed', 'trigger.delivered', 'destination.delivered']);
  const graph = useCall('canvas.graph', {}, ['workspace.changed']);
  const data = overview.data;
  const iamUrls = new Set(
    (graph.data?.nodes ?? [])
      .filter((node) => node.kind === 'url' && node.detail === 'AWS_IAM')
      .map((node) => node.id.slice('url:'.length)),
  );
  const empty =
    data &&
    data.buckets.length + data.queues.length + data.topics.length + data.buses.length + data.rules.length + data.endpoints.length === 0;
  return (
    <section className="page" data-testid="sources-page">
      <div className="page-header">
        <h1>Event sources</h1>
        <p className="muted">
          The workspace&apos;s local buckets, queues, topics, buses, rules and HTTP endpoints, kept in the workbench&apos;s data folder.
        </p>
      </div>
      {overview.error && <p className="error-text">{overview.error.message}</p>}
      {empty && (
        <p className="muted">
          The template has no event sources yet. Add them on the <a href="#/canvas">canvas</a>.
        </p>
      )}
      {data && (
        <div className="sources-grid">
          {data.buckets.map((bucket) => (
            <div className="panel" key={`bucket-${bucket.name}`}>
              <BucketPanel bucket={bucket} />
            </div>
          ))}
          {data.queues.map((queue) => (
            <div className="panel" key={`queue-${queue.name}`}>
              <QueuePanel queue={queue} />
            </div>
          ))}
          {data.topics.map((topic) => (
            <div className="panel" key={`topic-${topic.name}`}>
              <TopicPanel topic={topic} />
            </div>
          ))}
          {data.buses.map((bus) => (
            <div className="panel" key={`bus-${bus.name}`}>
              <BusPanel bus={bus.name} rules={data.rules} />
            </div>
          ))}
          {data.rules
            .filter((rule) => rule.schedule)
            .map((rule) => (
              <div className="panel" key={`rule-${rule.name}`}>
                <RulePanel rule={rule} />
              </div>
            ))}
          {data.endpoints.map((endpoint) => (
            <div className="panel" key={`endpoint-${endpoint.kind}-${endpoint.name}`}>
              <EndpointPanel
                endpoint={endpoint}
                iam={endpoint.kind === 'url' && iamUrls.has(endpoint.name)}
                signing={data.signing}
                routes={endpoint.kind === 'api' ? data.routes : []}
              />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
