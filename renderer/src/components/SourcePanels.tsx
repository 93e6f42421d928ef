import { useState, type FormEvent } from 'react';
import type { SourcesOverview } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';
import { useCall } from '../hooks/use-call';
import { useSubmit, type SubmitError } from '../hooks/use-submit';
import { formatBytes } from './format';

// The pages that look inside the workspace's local event sources and act on them: put and
// remove objects, send messages, publish, put events, and the addresses of HTTP front ends.

type Bucket = SourcesOverview['buckets'][number];
type Queue = SourcesOverview['queues'][number];
type Topic = SourcesOverview['topics'][number];
type Rule = SourcesOverview['rules'][number];
type Endpoint = SourcesOverview['endpoints'][number];

function Problem({ error }: { error: SubmitError | undefined }) {
  return error ? (
    <p className="error-text" role="alert">
      {error.message}
    </p>
  ) : null;
}

async function fileBase64(file: Blob): Promise<string> {
  return base64Of(new Uint8Array(await file.arrayBuffer()));
}

function base64Of(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

export function BucketPanel({ bucket }: { bucket: Bucket }) {
  const client = useClient();
  const objects = useCall('sources.objects', { bucket: bucket.name }, ['trigger.delivered', 'workspace.changed']);
  const upload = useSubmit();
  const [key, setKey] = useState('');
  const [text, setText] = useState('');
  const [file, setFile] = useState<File>();
  const [fileKey, setFileKey] = useState(0);

  const put = async (objectKey: string, base64: string): Promise<void> => {
    const done = await upload.run(() => client.call('sources.putObject', { bucket: bucket.name, key: objectKey, base64 }));
    if (done) objects.reload();
  };
  // The chosen file is the object when there is one, else the text; the key defaults to the file's name.
  const objectKey = key.trim() || file?.name || '';
  const onPut = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    await put(objectKey, file ? await fileBase64(file) : base64Of(new TextEncoder().encode(text)));
    setFile(undefined);
    setFileKey((value) => value + 1);
  };
  const remove = async (objectKey: string): Promise<void> => {
    const done = await upload.run(() => client.call('sources.deleteObject', { bucket: bucket.name, key: objectKey }));
    if (done) objects.reload();
  };

  return (
    <div className="source-panel" data-testid={`bucket-${bucket.name}`}>
      <h3>S3 bucket {bucket.name}</h3>
      <p className="hint">
        Objects are files in <code>{bucket.folder || 'the bucket folder (starts with the workspace)'}</code>; dropping a file there emits
        the same notification as an upload here.
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th>Key</th>
            <th>Size</th>
            <th>Last modified</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(objects.data ?? []).map((object) => (
            <tr key={object.key}>
              <td className="mono">{object.key}</td>
              <td>{formatBytes(object.size)}</td>
              <td title={new Date(object.lastModified).toLocaleString()}>{new Date(object.lastModified).toLocaleTimeString()}</td>
              <td>
                <button className="link" onClick={() => void remove(object.key)} aria-label={`Delete ${object.key}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {objects.data?.length === 0 && <p className="muted">The bucket is empty.</p>}
      {objects.error && <p className="error-text">{objects.error.message}</p>}
      <form className="source-form" onSubmit={(event) => void onPut(event)}>
        <label className="field">
          Object key
          <input value={key} onChange={(event) => setKey(event.target.value)} placeholder="uploads/photo.jpg (a file's name when empty)" />
        </label>
        <label className="field">
          Upload a file
          <input key={fileKey} type="file" onChange={(event) => setFile(event.target.files?.[0])} data-testid="bucket-file" />
        </label>
        <label className="field">
          Or write a text object
          <textarea rows={3} value={text} onChange={(event) => setText(event.target.value)} disabled={file !== undefined} />
        </label>
        <div className="actions">
          <button className="button" type="submit" disabled={upload.busy || !objectKey}>
            Put object
          </button>
          {!objectKey && <span className="hint">Give an object key, or choose a file.</span>}
        </div>
        <Problem error={upload.error} />
      </form>
    </div>
  );
}

export function QueuePanel({ queue }: { queue: Queue }) {
  const client = useClient();
  const messages = useCall('sources.messages', { queue: queue.name }, [
    'trigger.delivered',
    'destination.delivered',
    'invocation.finished',
  ]);
  const send = useSubmit();
  const [body, setBody] = useState('{"hello": "queue"}');
  const [groupId, setGroupId] = useState('');
  const [deduplicationId, setDeduplicationId] = useState('');
  const [last, setLast] = useState<string>();

  const onSend = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setLast(undefined);
    const sent = await send.run(() =>
      client.call('sources.sendMessage', {
        queue: queue.name,
        body,
        ...(groupId.trim() ? { groupId: groupId.trim() } : {}),
        ...(deduplicationId.trim() ? { deduplicationId: deduplicationId.trim() } : {}),
      }),
    );
    if (sent) {
      setLast(sent.messageId);
      messages.reload();
    }
  };

  return (
    <div className="source-panel" data-testid={`queue-${queue.name}`}>
      <h3>
        SQS queue {queue.name}
        {queue.fifo ? ' (FIFO)' : ''}
      </h3>
      <p className="hint">
        {queue.visible} visible, {queue.inFlight} in flight{queue.deadLetterQueue ? `; dead-letter queue ${queue.deadLetterQueue}` : ''}.
        Read it with <code>lambda-workbench queue receive {queue.name}</code>.
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th>Message id</th>
            <th>Body</th>
            <th>Receives</th>
            <th>Sent</th>
          </tr>
        </thead>
        <tbody>
          {(messages.data ?? []).map((message) => (
            <tr key={message.messageId}>
              <td className="mono small">{message.messageId}</td>
              <td className="mono small message-body" title={message.body}>
                {message.body}
              </td>
              <td>{message.receiveCount}</td>
              <td>{new Date(message.sentAt).toLocaleTimeString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {messages.data?.length === 0 && <p className="muted">No messages.</p>}
      <form className="source-form" onSubmit={(event) => void onSend(event)}>
        <label className="field">
          Message body
          <textarea rows={3} value={body} onChange={(event) => setBody(event.target.value)} aria-invalid={send.error?.field === 'body'} />
        </label>
        {queue.fifo && (
          <div className="inline-fields">
            <label className="field">
              Message group id
              <input value={groupId} onChange={(event) => setGroupId(event.target.value)} aria-invalid={send.error?.field === 'groupId'} />
            </label>
            <label className="field">
              Deduplication id
              <input
                value={deduplicationId}
                onChange={(event) => setDeduplicationId(event.target.value)}
                placeholder={queue.contentBasedDeduplication ? 'the body’s SHA-256 when empty' : 'required'}
              />
            </label>
          </div>
        )}
        <div className="actions">
          <button className="button" type="submit" disabled={send.busy}>
            Send message
          </button>
          {last && <span className="muted small">Sent {last}</span>}
        </div>
        <Problem error={send.error} />
      </form>
    </div>
  );
}

export function TopicPanel({ topic }: { topic: Topic }) {
  const client = useClient();
  const publish = useSubmit();
  const [subject, setSubject] = useState('');
  const [message, setMessage] = useState('{"hello": "topic"}');
  const [last, setLast] = useState<string>();

  const onPublish = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setLast(undefined);
    const result = await publish.run(() =>
      client.call('sources.publish', { topic: topic.name, message, ...(subject.trim() ? { subject: subject.trim() } : {}) }),
    );
    if (result) setLast(result.messageId);
  };

  return (
    <div className="source-panel" data-testid={`topic-${topic.name}`}>
      <h3>SNS topic {topic.name}</h3>
      <p className="hint">
        {topic.messages} published; subscribers: {topic.subscribers.length > 0 ? topic.subscribers.join(', ') : 'none yet'}.
      </p>
      <form className="source-form" onSubmit={(event) => void onPublish(event)}>
        <label className="field">
          Subject
          <input value={subject} onChange={(event) => setSubject(event.target.value)} />
        </label>
        <label className="field">
          Message
          <textarea rows={3} value={message} onChange={(event) => setMessage(event.target.value)} />
        </label>
        <div className="actions">
          <button className="button" type="submit" disabled={publish.busy}>
            Publish message
          </button>
          {last && <span className="muted small">Published {last}</span>}
        </div>
        <Problem error={publish.error} />
      </form>
    </div>
  );
}

export function BusPanel({ bus, rules }: { bus: string; rules: Rule[] }) {
  const client = useClient();
  const put = useSubmit();
  const [source, setSource] = useState('workshop.orders');
  const [detailType, setDetailType] = useState('OrderPlaced');
  const [detail, setDetail] = useState('{"amount": 42}');
  const [last, setLast] = useState<string>();

  const onPut = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setLast(undefined);
    const result = await put.run(() => client.call('sources.putEvent', { bus, source, detailType, detail }));
    if (result) setLast(result.eventId);
  };
  const onBus = rules.filter((rule) => rule.bus === bus && rule.pattern);

  return (
    <div className="source-panel" data-testid={`bus-${bus}`}>
      <h3>EventBridge bus {bus}</h3>
      {onBus.length > 0 ? (
        <ul className="small">
          {onBus.map((rule) => (
            <li key={rule.name}>
              {rule.name}: <code>{rule.pattern}</code> → {rule.targets.join(', ')}
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">No rule with a pattern listens on this bus yet.</p>
      )}
      <form className="source-form" onSubmit={(event) => void onPut(event)}>
        <div className="inline-fields">
          <label className="field">
            Source
            <input value={source} onChange={(event) => setSource(event.target.value)} />
          </label>
          <label className="field">
            Detail type
            <input value={detailType} onChange={(event) => setDetailType(event.target.value)} />
          </label>
        </div>
        <label className="field">
          Detail (JSON)
          <textarea
            rows={3}
            value={detail}
            onChange={(event) => setDetail(event.target.value)}
            aria-invalid={put.error?.field === 'detail'}
          />
        </label>
        <div className="actions">
          <button className="button" type="submit" disabled={put.busy}>
            Put event
          </button>
          {last && <span className="muted small">Sent {last}</span>}
        </div>
        <Problem error={put.error} />
      </form>
    </div>
  );
}

export function RulePanel({ rule }: { rule: Rule }) {
  return (
    <div className="source-panel" data-testid={`rule-${rule.name}`}>
      <h3>EventBridge rule {rule.name}</h3>
      <dl className="facts">
        <dt>Bus</dt>
        <dd>{rule.bus}</dd>
        <dt>{rule.schedule ? 'Schedule (UTC)' : 'Pattern'}</dt>
        <dd className="mono">{rule.schedule ?? rule.pattern}</dd>
        <dt>Targets</dt>
        <dd>{rule.targets.join(', ') || 'none'}</dd>
        <dt>State</dt>
        <dd>{rule.enabled ? 'Enabled' : 'Disabled'}</dd>
      </dl>
    </div>
  );
}

/** An HTTP front end's address, with a curl line that calls it (signed for AWS_IAM function URLs). */
export function EndpointPanel({
  endpoint,
  iam,
  signing,
  routes = [],
}: {
  endpoint: Endpoint;
  iam: boolean;
  signing: SourcesOverview['signing'];
  routes?: SourcesOverview['routes'];
}) {
  // An API answers on its routes only: the example calls the first, with sample path parameters.
  const first = routes.find((route) => route.path.startsWith('/'));
  const url = first ? `${endpoint.url.replace(/\/$/, '')}${first.path.replace(/\{[^}]+\}/g, '1')}` : endpoint.url;
  const labels: Record<string, string> = { url: `Function URL of ${endpoint.name}`, alb: `ALB listener ${endpoint.name}` };
  const label = labels[endpoint.kind] ?? 'HTTP API';
  const curl = iam
    ? `curl --aws-sigv4 "aws:amz:${signing.region}:lambda" --user "${signing.accessKeyId}:${signing.secretAccessKey}" ${url}`
    : `curl -i ${first && first.method !== 'GET' && first.method !== 'ANY' ? `-X ${first.method} ` : ''}${url}`;
  return (
    <div className="source-panel" data-testid={`endpoint-${endpoint.kind}-${endpoint.name}`}>
      <h3>{label}</h3>
      <p>
        <a href={endpoint.url} target="_blank" rel="noreferrer" className="mono">
          {endpoint.url}
        </a>
      </p>
      {routes.length > 0 && (
        <ul className="small">
          {routes.map((route) => (
            <li key={`${route.method} ${route.path}`}>
              <code>
                {route.method} {route.path}
              </code>{' '}
              → {route.functionName} ({route.kind})
            </li>
          ))}
        </ul>
      )}
      <pre className="template-excerpt">{curl}</pre>
      {iam && (
        <p className="hint">
          AuthType AWS_IAM: requests must carry a SigV4 signature made with the workbench&apos;s local credentials above; others get 403.
        </p>
      )}
    </div>
  );
}
