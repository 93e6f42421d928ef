import { useEffect, useRef, useState } from 'react';
import type { FunctionDetail } from '../../../main/contract/types';
import { useClient } from '../hooks/client-context';
import { useSubmit } from '../hooks/use-submit';
import { FieldError } from './config/GeneralForm';

/** Shows an Image function's image, builds it from its Dockerfile, and streams the build's output. */
export function ImagePanel({ fn }: { fn: FunctionDetail }) {
  const client = useClient();
  const [lines, setLines] = useState<string[]>([]);
  const [built, setBuilt] = useState<{ reference: string; digest: string }>();
  const { run, busy, error } = useSubmit();
  const log = useRef<HTMLPreElement>(null);
  const image = fn.image;

  useEffect(() => {
    let cancelled = false;
    void client.call('images.buildLog', { name: fn.name }).then((result) => {
      if (!cancelled) setLines(result.lines);
    });
    const stop = client.on('progress', (payload) => {
      if (payload.functionName === fn.name && !payload.message.startsWith('Starting a container'))
        setLines((current) => [...current, payload.message].slice(-2_000));
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [client, fn.name]);

  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [lines]);

  const build = async (): Promise<void> => {
    setLines([]);
    const result = await run(() => client.call('functions.buildImage', { name: fn.name }));
    if (result) setBuilt(result);
  };

  if (!image) return null;
  const digest = built?.digest ?? image.digest;
  return (
    <div className="panel" data-testid="image-panel">
      <div className="toolbar">
        <h2>Image</h2>
        <span className="spacer" />
        {image.built && (
          <button className="button primary" onClick={() => void build()} disabled={busy} data-testid="image-build">
            {busy ? 'Building…' : 'Build and deploy'}
          </button>
        )}
      </div>
      <dl className="facts">
        <dt>Image URI</dt>
        <dd className="mono">{built?.reference ?? image.reference}</dd>
        <dt>Digest</dt>
        <dd className="mono small" data-testid="image-digest">
          {digest ? `sha256:${digest}` : 'not built yet: it is built at the first invocation, or now with Build and deploy'}
        </dd>
        <dt>Source</dt>
        <dd>
          {image.built ? 'built by the workbench from the Dockerfile named in the template’s Metadata' : 'a local image named by ImageUri'}
        </dd>
      </dl>
      <FieldError message={error?.message} testId="image-error" />
      {(lines.length > 0 || busy) && (
        <>
          <h3>Build output</h3>
          <pre className="log-output" ref={log} data-testid="image-build-log">
            {lines.join('\n')}
          </pre>
        </>
      )}
    </div>
  );
}
